package dev.rolloutcontroller.telemetry;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.support.Reports;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Window statistics on the real database: a window starts where it says, not at the minute its start falls in. */
@QuarkusTest
class WindowStatsTest {

    private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

    @Inject
    WindowStats windowStats;

    @Inject
    RolloutService rollouts;

    /**
     * Healthy reports at 5 s into a minute, 6% errors at 45 s: a 30-second window starts at 15 s, in the same minute as
     * the healthy reports, and holds only the newest ones (the whole minute's rollup would have diluted them to 3%).
     */
    @Test
    void shouldJudgeOnlyTheReportsInsideTheWindowsFirstMinute() {
        String key = started("window-start");
        toSecondOfMinute(5);
        post(key, Reports.batch("healthy", 10, "new", 1000, 0, 40.0));
        MutableClock.INSTANCE.advance(Duration.ofSeconds(40));
        post(key, Reports.batch("faulty", 10, "new", 1000, 60, 64.0));

        Map<StatKey, Observation> stats = observe(key, THIRTY_SECONDS);

        assertEquals(Observation.rate(600, 10_000), stats.get(errorRate(THIRTY_SECONDS)));
        assertEquals(64.0, stats.get(p95(THIRTY_SECONDS)).value(), 1e-9);
        assertEquals(10_000, stats.get(p95(THIRTY_SECONDS)).samples());
    }

    /** A longer window reaching back over both batches, and the minutes before and after its first one, counts each report once. */
    @Test
    void shouldCountEveryReportOnceAcrossTheFirstMinuteAndTheRollups() {
        String key = started("window-span");
        toSecondOfMinute(5);
        post(key, Reports.batch("first", 10, "new", 1000, 0, 40.0));
        MutableClock.INSTANCE.advance(Duration.ofSeconds(40));
        post(key, Reports.batch("second", 10, "new", 1000, 10, 40.0));
        MutableClock.INSTANCE.advance(Duration.ofSeconds(30));
        post(key, Reports.batch("third", 10, "new", 1000, 20, 70.0));

        Map<StatKey, Observation> wide = observe(key, Duration.ofSeconds(75));
        Map<StatKey, Observation> narrow = observe(key, Duration.ofSeconds(45));

        assertEquals(Observation.rate(300, 30_000), wide.get(errorRate(Duration.ofSeconds(75))));
        assertEquals(50.0, wide.get(p95(Duration.ofSeconds(75))).value(), 1e-9);
        assertEquals(Observation.rate(300, 20_000), narrow.get(errorRate(Duration.ofSeconds(45))));
        assertEquals(55.0, narrow.get(p95(Duration.ofSeconds(45))).value(), 1e-9);
    }

    private Map<StatKey, Observation> observe(String key, Duration window) {
        Rollout rollout = rollouts.get(key).rollout();
        return windowStats.observe(rollout, Set.of(errorRate(window), p95(window)), MutableClock.INSTANCE.instant());
    }

    private static StatKey errorRate(Duration window) {
        return new StatKey("error_rate", null, "new", window, false);
    }

    private static StatKey p95(Duration window) {
        return new StatKey("cycle_time_p95_ms", null, "new", window, false);
    }

    /** Moves the clock to {@code second} seconds into the next minute. */
    private static void toSecondOfMinute(int second) {
        Instant now = MutableClock.INSTANCE.instant();
        Instant target = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)).plusSeconds(second);
        MutableClock.INSTANCE.advance(Duration.between(now, target));
    }

    private static void post(String key, Map<String, Object> batch) {
        as(Api.reporter()).body(batch).post("/api/v1/rollouts/" + key + "/reports").then().statusCode(202);
    }

    private static String started(String prefix) {
        String key = Api.createRollout(prefix, "c1", "c2", "c3");
        asAdmin().body(Map.of("role", "devops", "step", "canary")).post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(201);
        asAdmin().post("/api/v1/rollouts/" + key + "/start").then().statusCode(200);
        return key;
    }
}
