package dev.rolloutcontroller.domain.evaluation;

import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.ENTERED;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.active;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.gates;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.inputs;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.plan;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.rollout;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtherGatesTest {

    private static final List<String> CHECKS = List.of("agent-discovery", "idle-detection", "performance");

    /** The canary step soaks 4 h. */
    @ParameterizedTest(name = "{0} after entering -> {1}")
    @CsvSource({
            "PT0S,      PENDING, in canary for 0s of a 4h soak (4h to go)",
            "PT1H12M,   PENDING, in canary for 1h12m of a 4h soak (2h48m to go)",
            "PT3H59M59S, PENDING, in canary for 3h59m of a 4h soak (1s to go)",
            "PT4H,      PASS,    in canary for 4h of a 4h soak",
            "P2DT1H,    PASS,    in canary for 2d1h of a 4h soak",
            "-PT1H,     PENDING, in canary for 0s of a 4h soak (4h to go)",
    })
    void shouldPassTheSoakOnceTheStepsSoakHasElapsed(Duration elapsed, Verdict expected, String detail) {
        GateResult result = inputs(active(gates(new Gate.Soak("Validation (4 hours)")))).at(ENTERED.plus(elapsed)).onlyExitGate();

        assertEquals(expected, result.verdict());
        assertEquals(detail, result.detail());
        assertEquals(Math.max(0, elapsed.getSeconds()), result.observed());
        assertEquals(4 * 3600.0, result.threshold());
        assertEquals("Validation (4 hours)", result.description());
    }

    @ParameterizedTest(name = "{0} signed by {1} -> {2}")
    @CsvSource({
            "canary,  product,           PASS",
            "canary,  product devops,    PASS",
            "canary,  devops,            PENDING",
            "gradual, product,           PENDING",
            "'',      '',                PENDING",
    })
    void shouldPassASignOffOnlyWhenTheRoleSignedThatStep(String step, String roles, Verdict expected) {
        EngineFixtures.Inputs inputs = inputs(active(gates(new Gate.SignOff("product", "User feedback collected"))));
        if (!step.isEmpty()) {
            inputs.signOff(step, roles.split(" "));
        }

        GateResult result = inputs.onlyExitGate();

        assertEquals(expected, result.verdict(), result.detail());
        assertEquals("canary", result.step());
        assertEquals("exit", result.phase());
    }

    @ParameterizedTest(name = "tech-lead signed {0} -> {1}")
    @CsvSource({"gradual, PASS", "canary, PENDING"})
    void shouldReadAnEntryGatesSignOffFromTheNextStep(String step, Verdict expected) {
        Decision decision = inputs(active(plan(List.of(), List.of(new Gate.SignOff("tech-lead", "Team approval")), List.of())))
                .signOff(step, "tech-lead")
                .evaluate();

        assertEquals(1, decision.entryGates().size());
        GateResult result = decision.entryGates().get(0);
        assertEquals(expected, result.verdict());
        assertEquals("gradual", result.step());
        assertEquals("entry", result.phase());
    }

    /** Each check: P passed, F failed, - no result, O passed before the step was entered, E passed exactly when it was entered. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "P P P, PASS,    3",
            "P F P, FAIL,    2",
            "P - P, PENDING, 2",
            "F - -, FAIL,    0",
            "- - -, PENDING, 0",
            "P O P, PENDING, 2",
            "P E P, PASS,    3",
    })
    void shouldPassSmokeOnlyWhenEveryListedCheckPassedSinceTheStepWasEntered(String results, Verdict expected, double passed) {
        EngineFixtures.Inputs inputs = inputs(active(gates(new Gate.Smoke(CHECKS, "Run these tests after each phase"))));
        List<String> codes = Arrays.asList(results.split(" "));
        for (int i = 0; i < CHECKS.size(); i++) {
            Instant later = ENTERED.plus(Duration.ofMinutes(30));
            switch (codes.get(i)) {
                case "P" -> inputs.smoke(CHECKS.get(i), true, later);
                case "F" -> inputs.smoke(CHECKS.get(i), false, later);
                case "O" -> inputs.smoke(CHECKS.get(i), true, ENTERED.minusSeconds(1));
                case "E" -> inputs.smoke(CHECKS.get(i), true, ENTERED);
                default -> { }
            }
        }

        GateResult result = inputs.onlyExitGate();

        assertEquals(expected, result.verdict(), result.detail());
        assertEquals(passed, result.observed());
        assertEquals(3.0, result.threshold());
    }

    @ParameterizedTest(name = "{0} canary sessions -> {1}")
    @CsvSource({"0, FAIL", "1, PASS", "3, PASS"})
    void shouldPassTheCanaryConditionOnlyWithACanaryList(int sessions, Verdict expected) {
        List<String> canary = IntStream.range(0, sessions).mapToObj(i -> "s-" + i).toList();

        GateResult result = inputs(rollout(gates(new Gate.Condition("canary-list-not-empty", "Canary user list identified")),
                RolloutStatus.ACTIVE, 0, true, canary)).onlyExitGate();

        assertEquals(expected, result.verdict());
        assertEquals((double) sessions, result.observed());
    }
}
