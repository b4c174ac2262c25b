package dev.rolloutcontroller.monitoring;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.support.Reports;
import dev.rolloutcontroller.support.Scrape;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis on /q/metrics, read the way Prometheus reads it: a scrape of the running service. */
@QuarkusTest
class RolloutAnalysisMetricsTest {

    @Inject
    RolloutAnalysisMetrics analysis;

    @Test
    void shouldExportStatusGatesPathsAndTriggersOfALiveRollout() {
        String key = Api.createRollout("analysis", "c1");
        Api.act(key, "start");
        as(Api.reporter()).body(Reports.batch(key + "-n", 4, "new", 100, 1, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        as(Api.reporter()).body(Reports.batch(key + "-l", 3, "legacy", 100, 0, 50.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200);
        analysis.refresh();

        Scrape scrape = Scrape.ofService();
        Map<String, String> rollout = Map.of("rollout", key);
        assertEquals(Optional.of(1.0), scrape.value("rollout_status", Map.of("rollout", key, "status", "ACTIVE")));
        assertEquals(Optional.of(0.0), scrape.value("rollout_status", Map.of("rollout", key, "status", "PAUSED")));
        assertEquals(Optional.of(10.0), scrape.value("rollout_percentage", rollout));
        assertEquals(Optional.of(0.0), scrape.value("rollout_step_index", rollout));
        assertEquals(Optional.of(14400.0), scrape.value("rollout_step_soak_seconds", rollout));
        assertEquals(Optional.of(0.0), scrape.value("rollout_gate_verdict",
                Map.of("rollout", key, "step", "canary", "gate", "exit-0-soak", "kind", "soak")), "the soak is pending");
        assertTrue(scrape.find("rollout_gate_verdict", Map.of("rollout", key, "kind", "sign-off")).stream()
                .anyMatch(s -> s.labels().get("gate").matches("(exit|entry)-\\d+-sign-off-[a-z-]+")), "sign-offs name their role");
        assertTrue(scrape.find("rollout_gate_threshold", rollout).stream().anyMatch(s -> s.labels().get("gate").endsWith("error_rate")),
                "metric gates export their threshold");

        assertEquals(Optional.of(4.0), scrape.value("rollout_path_sessions_reporting", Map.of("rollout", key, "path", "new")));
        assertEquals(Optional.of(3.0), scrape.value("rollout_path_sessions_reporting", Map.of("rollout", key, "path", "legacy")));
        assertEquals(0.01, scrape.value("rollout_path_error_ratio", Map.of("rollout", key, "path", "new")).orElseThrow(), 1e-9);
        assertEquals(0.04, scrape.value("rollout_path_cycle_time_p95_seconds", Map.of("rollout", key, "path", "new")).orElseThrow(), 1e-9);
        assertEquals(0.05, scrape.value("rollout_path_cycle_time_p95_seconds", Map.of("rollout", key, "path", "legacy")).orElseThrow(), 1e-9);
        assertEquals(200.0 * (1 << 20), scrape.value("rollout_path_memory_bytes", Map.of("rollout", key, "path", "new")).orElseThrow());
        assertEquals(0.05, scrape.value("rollout_path_cpu_ratio", Map.of("rollout", key, "path", "new")).orElseThrow(), 1e-9);
        double applied = scrape.value("rollout_flag_version_applied_ratio", rollout).orElseThrow();
        assertTrue(applied >= 0 && applied <= 1, "a share: " + applied);
        assertEquals(MutableClock.INSTANCE.instant().getEpochSecond(),
                scrape.value("rollout_evaluator_last_pass_timestamp_seconds", rollout).orElseThrow(), 1.0);
        assertEquals(Optional.of(0.0), scrape.value("rollout_trigger_breached",
                Map.of("rollout", key, "trigger", "0-error_rate", "metric", "error_rate")));
        assertEquals(Optional.of(0.05), scrape.value("rollout_trigger_threshold", Map.of("rollout", key, "trigger", "0-error_rate")));
        assertEquals(Optional.of(0.0), scrape.value("rollout_evaluator_leader", Map.of()), "tests run with the evaluator off");
        assertEquals(Optional.of(1.0), scrape.value("rollout_database_up", Map.of()));
        assertEquals(Optional.of(0.0), scrape.value("rollout_evaluator_decisions_total", Map.of("rollout", key, "action", "rollback")));
    }

    @Test
    void shouldCountTheRollbackAndDropTheRolloutAnHourAfterItEnded() {
        String key = Api.createRollout("analysis-ended", "c1");
        Api.act(key, "start");
        analysis.refresh();
        as(Api.reporter()).body(Reports.batch(key, 10, "new", 1000, 60, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200);
        asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("ROLLED_BACK"));
        analysis.refresh();

        Scrape scrape = Scrape.ofService();
        assertEquals(Optional.of(1.0), scrape.value("rollout_status", Map.of("rollout", key, "status", "ROLLED_BACK")));
        assertEquals(Optional.of(0.0), scrape.value("rollout_percentage", Map.of("rollout", key)));
        assertEquals(Optional.of(1.0), scrape.value("rollout_evaluator_decisions_total", Map.of("rollout", key, "action", "rollback")));
        assertEquals(Optional.of(1.0), scrape.value("rollout_trigger_breached", Map.of("rollout", key, "trigger", "0-error_rate")));

        MutableClock.INSTANCE.advance(Duration.ofMinutes(61));
        analysis.refresh();
        Scrape later = Scrape.ofService();
        assertTrue(later.samples().stream().noneMatch(s -> key.equals(s.labels().get("rollout"))),
                "nothing of the rollout is left an hour after it ended");
    }
}
