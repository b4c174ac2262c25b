package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.support.Reports;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rollups count distinct sessions per path and minute, whatever the report interval or arrival order. */
@QuarkusTest
class SessionsPerMinuteTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldCountEachSessionOncePerMinuteWhenReportingEvery10Seconds() throws SQLException {
        String key = Api.createRollout("sessions-per-minute");
        Instant base = minutesAgo(5);
        // 10 sessions on the new path and 4 on the legacy one, each reporting every 10 s for 3 minutes.
        for (int tick = 0; tick < 18; tick++) {
            Instant end = base.plusSeconds(tick * 10L);
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int s = 0; s < 10; s++) {
                batch.add(report("n" + s, "new", end));
            }
            for (int s = 0; s < 4; s++) {
                batch.add(report("l" + s, "legacy", end));
            }
            post(key, batch, batch.size());
        }

        assertEquals(List.of(10L, 10L, 10L), sessions(key, "new"));
        assertEquals(List.of(60L, 60L, 60L), reports(key, "new"));
        assertEquals(List.of(4L, 4L, 4L), sessions(key, "legacy"));
        as(Api.tokenWith("reader")).queryParam("from", base.toString()).queryParam("to", base.plusSeconds(180).toString())
                .get("/api/v1/rollouts/" + key + "/metrics")
                .then().statusCode(200)
                .body("paths.new.sessions", contains(10.0f, 10.0f, 10.0f))
                .body("paths.legacy.sessions", contains(4.0f, 4.0f, 4.0f));
    }

    @Test
    void shouldCountLateAndRepeatedReportsOnce() throws SQLException {
        String key = Api.createRollout("sessions-late");
        Instant base = minutesAgo(5);
        Map<String, Object> first = report("s1", "new", base.plusSeconds(5));
        post(key, List.of(first), 1);
        post(key, List.of(report("s1", "new", base.plusSeconds(125))), 1);
        assertEquals(List.of(1L, 1L), sessions(key, "new"));

        // Late for the minute in between: counted once, also when two arrive in one batch or one after the other.
        post(key, List.of(report("s1", "new", base.plusSeconds(65)), report("s1", "new", base.plusSeconds(75))), 2);
        post(key, List.of(report("s1", "new", base.plusSeconds(85))), 1);
        // Late for its first minute, and the first report again under its own id: neither is a new session.
        post(key, List.of(report("s1", "new", base.plusSeconds(15))), 1);
        post(key, List.of(first), 0);
        // Late before its first minute: a minute of its own.
        post(key, List.of(report("s1", "new", base.minusSeconds(30))), 1);

        assertEquals(List.of(1L, 1L, 1L, 1L), sessions(key, "new"));
        assertEquals(List.of(1L, 2L, 3L, 1L), reports(key, "new"));
        // The same session on the other path is another series.
        post(key, List.of(report("s1", "legacy", base.plusSeconds(70))), 1);
        assertEquals(List.of(1L), sessions(key, "legacy"));
        assertEquals(List.of(1L, 1L, 1L, 1L), sessions(key, "new"));
    }

    private static Instant minutesAgo(int minutes) {
        return MutableClock.INSTANCE.instant().truncatedTo(ChronoUnit.MINUTES).minus(minutes, ChronoUnit.MINUTES);
    }

    private static Map<String, Object> report(String session, String path, Instant end) {
        Map<String, Object> report = Reports.report(session, path, 10, 0, 40.0, 200L << 20);
        report.put("periodStart", end.minusSeconds(10).toString());
        report.put("periodEnd", end.toString());
        return report;
    }

    private static void post(String key, List<Map<String, Object>> reports, int accepted) {
        as(Api.reporter()).body(Map.of("reports", reports)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202).body("accepted", equalTo(accepted));
    }

    private List<Long> sessions(String key, String path) throws SQLException {
        return column("sessions", key, path);
    }

    private List<Long> reports(String key, String path) throws SQLException {
        return column("reports", key, path);
    }

    private List<Long> column(String column, String key, String path) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "select " + column + " from telemetry_rollups where rollout_key = ? and path = ? order by minute")) {
            query.setString(1, key);
            query.setString(2, path);
            List<Long> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
            }
            return values;
        }
    }
}
