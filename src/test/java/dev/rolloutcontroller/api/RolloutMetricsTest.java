package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.persistence.EntityManager;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class RolloutMetricsTest {

    private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");

    @Inject
    EntityManager entityManager;

    @Test
    void shouldServeSeriesPerPathFromRollupsWithNullForEmptyBuckets() {
        String key = Api.createRollout("metrics", "s1");
        rollup(key, "new", T0, 10, 6000, 6, 40.0, 200 * 1024 * 1024L, 45.0, 2L);
        rollup(key, "legacy", T0, 10, 6000, 0, 50.0, 100 * 1024 * 1024L, 30.0, 2L);
        rollup(key, "new", T0.plusSeconds(120), 5, 3000, 30, 60.0, 210 * 1024 * 1024L, 20.0, 1L);

        as(Api.tokenWith("reader")).queryParam("from", T0.toString()).queryParam("to", T0.plusSeconds(180).toString())
                .get("/api/v1/rollouts/" + key + "/metrics")
                .then().statusCode(200)
                .body("rollout", equalTo(key))
                .body("resolution", equalTo("PT1M"))
                .body("timestamps", contains((int) T0.getEpochSecond(), (int) T0.getEpochSecond() + 60, (int) T0.getEpochSecond() + 120))
                .body("paths.new.sessions", contains(2.0f, null, 1.0f))
                .body("paths.new.errorRate[0]", equalTo(0.001f))
                .body("paths.new.errorRate[2]", equalTo(0.01f))
                .body("paths.new.cycleTimeP95Ms[0]", equalTo(40.0f))
                .body("paths.new.cpuPercent[0]", equalTo(4.5f))
                .body("paths.new.memoryBytes[0]", equalTo(200 * 1024 * 1024.0f))
                .body("paths.legacy.errorRate", contains(0.0f, null, null))
                .body("paths.legacy.cycleTimeP95Ms[1]", nullValue());
    }

    @Test
    void shouldLetKnownMinutesStandForRollupsWithoutSessionCount() {
        String key = Api.createRollout("metrics-old-rows");
        // Rolled up before V11, raw reports expired: no session count (null).
        rollup(key, "new", T0, 12, 600, 0, 40.0, 1024L, 6.0, null);
        rollup(key, "new", T0.plusSeconds(60), 12, 600, 0, 40.0, 1024L, 6.0, 2L);
        rollup(key, "new", T0.plusSeconds(180), 12, 600, 0, 40.0, 1024L, 6.0, null);

        asAdmin().queryParam("from", T0.toString()).queryParam("to", T0.plusSeconds(240).toString())
                .queryParam("resolution", "PT2M")
                .get("/api/v1/rollouts/" + key + "/metrics")
                .then().statusCode(200)
                .body("paths.new.sessions", contains(2.0f, null))
                .body("paths.new.cycleTimeP95Ms", contains(40.0f, 40.0f));
    }

    @Test
    void shouldBucketToResolutionAndListStepChanges() {
        String key = Api.createRollout("metrics-steps", "s1");
        Api.act(key, "start");
        // The service's clock, which other tests may have moved: the start happened at the rollout's updatedAt.
        Instant now = Instant.parse(asAdmin().get("/api/v1/rollouts/" + key).then().extract().path("updatedAt"));
        Instant from = now.minusSeconds(3600);
        Instant to = now.plusSeconds(60);
        // Buckets start at whole quarter hours: every quarter hour the range touches is one bucket (5 or 6).
        int buckets = (int) (Math.floorDiv(to.getEpochSecond(), 900) - Math.floorDiv(from.getEpochSecond(), 900)) + 1;
        asAdmin().queryParam("from", from.toString()).queryParam("to", to.toString())
                .queryParam("resolution", "PT15M")
                .get("/api/v1/rollouts/" + key + "/metrics")
                .then().statusCode(200)
                .body("resolution", equalTo("PT15M"))
                .body("timestamps", hasSize(buckets))
                .body("timestamps[0]", equalTo((int) (Math.floorDiv(from.getEpochSecond(), 900) * 900)))
                .body("steps.event", hasItem("rollout.force-started"))
                .body("steps.find { it.event == 'rollout.force-started' }.step", equalTo("canary"))
                .body("steps.find { it.event == 'rollout.force-started' }.percentage", equalTo(10));
    }

    @Test
    void shouldRefuseUnboundedOrMalformedParameters() {
        String key = Api.createRollout("metrics-bad", "s1");
        asAdmin().queryParam("resolution", "PT30S").get("/api/v1/rollouts/" + key + "/metrics")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("resolution"));
        asAdmin().queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2026-03-01T00:00:00Z")
                .get("/api/v1/rollouts/" + key + "/metrics").then().statusCode(400).body("errors[0].field", equalTo("from"));
        asAdmin().queryParam("from", "yesterday").get("/api/v1/rollouts/" + key + "/metrics")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        asAdmin().get("/api/v1/rollouts/no-such-rollout/metrics").then().statusCode(404);
    }

    private void rollup(String key, String path, Instant minute, long reports, long cycles, long errors, double p95,
                        long memory, double cpuSum, Long sessions) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                insert into telemetry_rollups (rollout_key, path, minute, reports, cycles, errors, p95_weighted_sum,
                    cycle_time_max_ms, memory_max_bytes, cpu_sum, sessions)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, cast(?11 as bigint))""")
                .setParameter(1, key).setParameter(2, path).setParameter(3, Timestamp.from(minute)).setParameter(4, reports)
                .setParameter(5, cycles).setParameter(6, errors).setParameter(7, p95 * cycles).setParameter(8, p95 * 2)
                .setParameter(9, memory).setParameter(10, cpuSum)
                .setParameter(11, sessions).executeUpdate());
    }
}
