package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.support.Reports;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rolloutcontroller.support.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class TelemetryResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RetentionJob retention;


    @Test
    void shouldStoreRetriedReportOnce() throws SQLException {
        String key = Api.createRollout("reports", "s1");
        Map<String, Object> batch = Reports.batch("sess", 3, "new", 100, 2, 40.0);
        as(Api.reporter()).body(batch).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202).body("accepted", equalTo(3)).body("duplicates", equalTo(0));
        as(Api.reporter()).body(batch).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(3));
        assertEquals(3, count("select count(*) from telemetry_reports where rollout_key = '" + key + "'"));
        assertEquals(300, count("select sum(cycles) from telemetry_rollups where rollout_key = '" + key + "'"));
        assertEquals(6, count("select sum(errors) from telemetry_rollups where rollout_key = '" + key + "'"));
        assertEquals(3, count("select count(*) from telemetry_sessions where rollout_key = '" + key + "'"));
    }

    @Test
    void shouldCountRepeatedIdsInsideOneBatchAsDuplicates() {
        String key = Api.createRollout("dup-in-batch");
        Map<String, Object> one = Reports.report("s1", "legacy", 10, 0, 20.0, 1000);
        as(Api.reporter()).body(Map.of("reports", List.of(one, one))).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202).body("accepted", equalTo(1)).body("duplicates", equalTo(1));
    }

    @Test
    void shouldRejectWholeBatchNamingEachBadField() throws SQLException {
        String key = Api.createRollout("bad-reports");
        Map<String, Object> good = Reports.report("s1", "new", 10, 0, 20.0, 1000);
        Map<String, Object> bad = new HashMap<>(Reports.report("s2", "sideways", 10, 11, 20.0, 1000));
        bad.put("reportId", "not-a-uuid");
        bad.put("periodEnd", MutableClock.INSTANCE.instant().plus(Duration.ofMinutes(5)).toString());
        Map<String, Object> tooLong = new HashMap<>(Reports.report("s3", "new", 10, 0, 20.0, 1000));
        tooLong.put("periodStart", MutableClock.INSTANCE.instant().minus(Duration.ofHours(2)).toString());
        as(Api.reporter()).body(Map.of("reports", List.of(good, bad, tooLong))).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("reports[1].reportId", "reports[1].path", "reports[1].errors",
                        "reports[1].periodEnd", "reports[2].periodEnd"));
        assertEquals(0, count("select count(*) from telemetry_reports where rollout_key = '" + key + "'"),
                "nothing partial is stored from a rejected batch");
    }

    @Test
    void shouldBoundBatchSize() {
        String key = Api.createRollout("batch-size");
        List<Map<String, Object>> reports = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            reports.add(Reports.report("s" + i, "new", 1, 0, 1.0, 1));
        }
        as(Api.reporter()).body(Map.of("reports", reports)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(400).body("errors[0].field", equalTo("reports"));
        as(Api.reporter()).body(Map.of("reports", reports.subList(0, 1000))).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202).body("accepted", equalTo(1000));
        as(Api.reporter()).body(Map.of("reports", List.of())).post("/api/v1/rollouts/" + key + "/reports").then().statusCode(400);
    }

    @Test
    void shouldAcceptSmokeShadowAndSignalsIdempotently() {
        String key = Api.createRollout("smoke");
        String at = MutableClock.INSTANCE.instant().minusSeconds(5).toString();
        Map<String, Object> smoke = Map.of("check", "agent-discovery", "passed", true, "value", 100, "unit", "%", "at", at);
        as(Api.reporter()).body(smoke).post("/api/v1/rollouts/" + key + "/smoke-results").then().statusCode(202).body("accepted", equalTo(1));
        as(Api.reporter()).body(smoke).post("/api/v1/rollouts/" + key + "/smoke-results").then().statusCode(202).body("duplicates", equalTo(1));
        Map<String, Object> shadow = Map.of("sessionId", "s1", "category", "idle", "comparisons", 100, "mismatches", 3,
                "periodStart", MutableClock.INSTANCE.instant().minusSeconds(600).toString(), "periodEnd", at);
        as(Api.reporter()).body(shadow).post("/api/v1/rollouts/" + key + "/shadow-comparisons").then().statusCode(202).body("accepted", equalTo(1));
        Map<String, Object> ticket = Map.of("type", "support-ticket", "count", 1, "ref", "SUP-1", "at", at);
        as(Api.reporter()).body(ticket).post("/api/v1/rollouts/" + key + "/signals").then().statusCode(202).body("accepted", equalTo(1));
        as(Api.reporter()).body(ticket).post("/api/v1/rollouts/" + key + "/signals").then().statusCode(202).body("duplicates", equalTo(1));
    }

    @Test
    void shouldValidateSmokeShadowAndSignals() {
        String key = Api.createRollout("smoke-bad");
        as(Api.reporter()).body(Map.of("check", "vibes", "at", "yesterday")).post("/api/v1/rollouts/" + key + "/smoke-results")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItems("check", "passed", "at"));
        as(Api.reporter()).body(Map.of("sessionId", "s 1", "category", "mood", "comparisons", 1, "mismatches", 2))
                .post("/api/v1/rollouts/" + key + "/shadow-comparisons")
                .then().statusCode(400).body("errors.field", hasItems("sessionId", "category", "mismatches", "periodStart", "periodEnd"));
        as(Api.reporter()).body(Map.of("type", "rumour", "count", 0)).post("/api/v1/rollouts/" + key + "/signals")
                .then().statusCode(400).body("errors.field", hasItems("type", "count", "at"));
    }

    @Test
    void shouldRequireReporterRoleAndKnownRollout() {
        String key = Api.createRollout("reporter-role");
        as(Api.tokenWith("reader")).body(Reports.batch("s", 1, "new", 1, 0, 1.0))
                .post("/api/v1/rollouts/" + key + "/reports").then().statusCode(403);
        as(Api.reporter()).body(Reports.batch("s", 1, "new", 1, 0, 1.0))
                .post("/api/v1/rollouts/no-such-rollout/reports").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void shouldDeleteExpiredRawReportsButKeepRollups() throws SQLException {
        String key = Api.createRollout("retention");
        String id = UUID.randomUUID().toString();
        Map<String, Object> report = new HashMap<>(Reports.report("s1", "new", 10, 0, 5.0, 100));
        report.put("reportId", id);
        as(Api.reporter()).body(Map.of("reports", List.of(report))).post("/api/v1/rollouts/" + key + "/reports").then().statusCode(202);
        execute("update telemetry_reports set period_end = period_end - interval '8 days' where report_id = '" + id + "'");
        org.junit.jupiter.api.Assertions.assertTrue(retention.deleteExpired() >= 1);
        assertEquals(0, count("select count(*) from telemetry_reports where report_id = '" + id + "'"));
        assertEquals(10, count("select sum(cycles) from telemetry_rollups where rollout_key = '" + key + "'"));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
