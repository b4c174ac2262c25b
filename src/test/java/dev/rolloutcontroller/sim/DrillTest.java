package dev.rolloutcontroller.sim;

import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.sim.SimConfig.PollMode;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drill of {@code bench/drill.sh}, shortened: the same four scenarios, plan and checks, with a simulated fleet of
 * 50 sessions on 5 hosts, driven by a clock the test moves one second at a time and an evaluation pass every
 * simulated second, so no step waits on the wall clock.
 */
@QuarkusTest
class DrillTest {

    @Inject
    RolloutEvaluator evaluator;

    @TestHTTPResource("/")
    URL base;

    @ParameterizedTest
    @ValueSource(strings = {"healthy", "regression", "hold-band", "no-data"})
    void shouldPassTheScenarioOfTheDrill(String scenario) throws Exception {
        Duration second = Duration.ofSeconds(1);
        Drill.Settings settings = new Drill.Settings(URI.create(base.toString()), Api.ADMIN, second, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 5, 10, 3, 100, PollMode.HOST, second, Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofMinutes(3), 7, List.of(scenario));
        Drill.Stepped driver = new Drill.Stepped(MutableClock.INSTANCE, MutableClock.INSTANCE::advance, second, second,
                evaluator::evaluate);

        Drill.ScenarioResult result = new Drill(settings, driver).run().scenarios().get(0);

        assertTrue(result.passed(), () -> scenario + " failed:\n" + result.checks().stream()
                .map(check -> (check.passed() ? "  ok   " : "  FAIL ") + check.name() + ": " + check.detail())
                .collect(Collectors.joining("\n")));
    }
}
