package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.domain.evaluation.RecordedTelemetry;
import dev.rolloutcontroller.domain.evaluation.SmokeResult;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a rollout's recorded telemetry of a period once, for a replay: the per-minute rollups as stored, and
 * support tickets, shadow comparisons and smoke results summed per instant across sessions (what the windows
 * sum anyway), so the rows read depend on the period, not on the fleet size.
 */
@ApplicationScoped
public class RecordedTelemetryReader {

    private final AgroalDataSource dataSource;

    RecordedTelemetryReader(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Everything recorded in {@code [from, to]}. */
    public RecordedTelemetry read(String rolloutKey, Instant from, Instant to) {
        Timestamp start = Timestamp.from(from);
        Timestamp end = Timestamp.from(to);
        try (Connection connection = dataSource.getConnection()) {
            List<RecordedTelemetry.RollupRow> rollups = new ArrayList<>();
            read(connection, """
                    select path, minute, reports, cycles, errors, p95_weighted_sum, cycle_time_max_ms, memory_max_bytes, cpu_sum
                    from telemetry_rollups where rollout_key = ? and minute >= date_trunc('minute', ?::timestamptz) and minute <= ?""",
                    rows -> rollups.add(new RecordedTelemetry.RollupRow(rows.getString(1), rows.getTimestamp(2).toInstant(),
                            rows.getLong(3), rows.getLong(4), rows.getLong(5), rows.getDouble(6), rows.getDouble(7), rows.getLong(8),
                            rows.getDouble(9))), rolloutKey, start, end);
            List<RecordedTelemetry.TicketCount> tickets = new ArrayList<>();
            read(connection, """
                    select at, sum(count) from signals where rollout_key = ? and type = 'support-ticket' and at >= ? and at <= ?
                    group by at""",
                    rows -> tickets.add(new RecordedTelemetry.TicketCount(rows.getTimestamp(1).toInstant(), rows.getLong(2))),
                    rolloutKey, start, end);
            List<RecordedTelemetry.ComparisonCount> comparisons = new ArrayList<>();
            read(connection, """
                    select category, period_end, sum(comparisons), sum(mismatches) from shadow_comparisons
                    where rollout_key = ? and period_end >= ? and period_end <= ? group by category, period_end""",
                    rows -> comparisons.add(new RecordedTelemetry.ComparisonCount(rows.getString(1), rows.getTimestamp(2).toInstant(),
                            rows.getLong(3), rows.getLong(4))), rolloutKey, start, end);
            List<SmokeResult> smoke = new ArrayList<>();
            // Results of one check at one instant from several sessions: a failure among them is the result.
            read(connection, """
                    select check_name, bool_and(passed), at from smoke_results where rollout_key = ? and at >= ? and at <= ?
                    group by check_name, at""",
                    rows -> smoke.add(new SmokeResult(rows.getString(1), rows.getBoolean(2), rows.getTimestamp(3).toInstant())),
                    rolloutKey, start, end);
            return new RecordedTelemetry(rollups, tickets, comparisons, smoke);
        } catch (SQLException e) {
            throw new PersistenceException("reading the recorded telemetry of " + rolloutKey + " failed", e);
        }
    }

    @FunctionalInterface
    private interface RowConsumer {
        void accept(ResultSet rows) throws SQLException;
    }

    private static void read(Connection connection, String sql, RowConsumer consumer, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    consumer.accept(rows);
                }
            }
        }
    }
}
