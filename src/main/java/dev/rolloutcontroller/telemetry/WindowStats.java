package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.domain.Metric;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.RollupTotals;
import dev.rolloutcontroller.domain.evaluation.SmokeResult;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The window statistics the engine asks for ({@code RolloutEngine.requiredStats}), computed by SQL
 * over the per-minute rollups and per-session state, so one pass reads a few thousand rows at most
 * whatever the fleet size; only the part of a window's first minute that lies inside the window is read
 * from raw reports, so a window starts exactly where it says. Keys sharing a path and a window start share one query.
 */
@ApplicationScoped
public class WindowStats {

    /** Convergence: how many recently reporting sessions apply the rollout's current version. */
    public record Convergence(long sessionsReporting, long sessionsOnCurrentVersion) {
        public double share() {
            return sessionsReporting == 0 ? 0 : (double) sessionsOnCurrentVersion / sessionsReporting;
        }
    }

    private record SessionTotals(long sessions, Double maxGrowth) {
    }

    private final AgroalDataSource dataSource;

    WindowStats(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<StatKey, Observation> observe(Rollout rollout, Set<StatKey> keys, Instant now) {
        Map<StatKey, Observation> result = new HashMap<>();
        Map<String, RollupTotals> rollups = new HashMap<>();
        Map<String, SessionTotals> sessions = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            for (StatKey key : keys) {
                Instant from = windowStart(key, rollout.stepEnteredAt(), now);
                String cacheKey = key.path() + "@" + from;
                Optional<Metric> metric = Metric.fromWireName(key.metric());
                Observation observation = metric.isEmpty() ? Observation.EMPTY : switch (metric.get()) {
                    case ERROR_RATE, CYCLE_TIME_P95_MS, CYCLE_TIME_MAX_MS, MEMORY_BYTES, CPU_PERCENT, CYCLES ->
                            rollups.computeIfAbsent(cacheKey, k -> rollupTotals(connection, rollout.key(), key.path(), from))
                                    .observation(metric.get());
                    case SESSIONS_REPORTING, MEMORY_GROWTH -> fromSessions(metric.get(), sessions.computeIfAbsent(cacheKey,
                            k -> sessionTotals(connection, rollout.key(), key.path(), from)));
                    case SUPPORT_TICKETS -> Observation.count(supportTickets(connection, rollout.key(), from));
                    case SHADOW_MISMATCH_RATE -> shadowMismatchRate(connection, rollout.key(), key.category(), from);
                    case SMOKE_FAILURES -> smokeFailures(connection, rollout.key(), from);
                    // Not in the daemons' reports: PrometheusQueries answers these keys.
                    case PROMETHEUS -> Observation.EMPTY;
                };
                result.put(key, observation);
            }
        } catch (SQLException e) {
            throw new PersistenceException("reading window statistics of " + rollout.key() + " failed", e);
        }
        return result;
    }

    /** The latest result of every smoke check since {@code from}. */
    public Map<String, SmokeResult> latestSmoke(String rolloutKey, Instant from) {
        Map<String, SmokeResult> latest = new HashMap<>();
        query("""
                select distinct on (check_name) check_name, passed, at from smoke_results
                where rollout_key = ? and at >= ? order by check_name, at desc""",
                rows -> {
                    while (rows.next()) {
                        latest.put(rows.getString(1), new SmokeResult(rows.getString(1), rows.getBoolean(2),
                                rows.getTimestamp(3).toInstant()));
                    }
                    return null;
                }, rolloutKey, Timestamp.from(from));
        return latest;
    }

    public Convergence convergence(String rolloutKey, long version, Instant since) {
        return query("""
                select count(distinct session_id), count(distinct session_id) filter (where flag_version = ?)
                from telemetry_sessions where rollout_key = ? and last_seen >= ?""",
                rows -> {
                    rows.next();
                    return new Convergence(rows.getLong(1), rows.getLong(2));
                }, version, rolloutKey, Timestamp.from(since));
    }

    private static Observation fromSessions(Metric metric, SessionTotals t) {
        if (t.sessions() == 0) {
            return Observation.EMPTY;
        }
        return metric == Metric.SESSIONS_REPORTING
                ? Observation.of(t.sessions(), t.sessions())
                : t.maxGrowth() == null ? Observation.EMPTY : Observation.of(t.maxGrowth(), t.sessions());
    }

    /**
     * Everything reported with {@code period_end >= from}: the whole minutes after the one {@code from} falls in from
     * the rollups (the current minute's rollup is folded on ingest, so it holds the newest report), the rest of
     * {@code from}'s minute from the raw reports. Reading that first minute whole from its rollup would reach up to 59 s
     * before the window and dilute a fresh regression with the healthy reports before it (decision 0016).
     */
    private static RollupTotals rollupTotals(Connection connection, String rolloutKey, String path, Instant from) {
        Timestamp start = Timestamp.from(from);
        return query(connection, """
                select coalesce(sum(reports), 0), coalesce(sum(cycles), 0), coalesce(sum(errors), 0),
                       coalesce(sum(p95_weighted_sum), 0), max(cycle_time_max_ms), max(memory_max_bytes), coalesce(sum(cpu_sum), 0)
                from (
                    select reports, cycles, errors, p95_weighted_sum, cycle_time_max_ms, memory_max_bytes, cpu_sum
                    from telemetry_rollups
                    where rollout_key = ? and path = ? and minute > date_trunc('minute', ?::timestamptz)
                    union all
                    select 1, cycles, errors, cycle_time_p95_ms * cycles, cycle_time_max_ms, memory_bytes, cpu_percent
                    from telemetry_reports
                    where rollout_key = ? and path = ? and period_end >= ?::timestamptz
                      and period_end < date_trunc('minute', ?::timestamptz) + interval '1 minute'
                ) in_window""",
                rows -> {
                    rows.next();
                    return new RollupTotals(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getDouble(4),
                            (Double) rows.getObject(5), (Long) rows.getObject(6), rows.getDouble(7));
                }, rolloutKey, path, start, rolloutKey, path, start, start);
    }

    private static SessionTotals sessionTotals(Connection connection, String rolloutKey, String path, Instant from) {
        return query(connection, """
                select count(*), max(last_memory_bytes::float8 / nullif(first_memory_bytes, 0))
                from telemetry_sessions where rollout_key = ? and path = ? and last_seen >= ?""",
                rows -> {
                    rows.next();
                    return new SessionTotals(rows.getLong(1), (Double) rows.getObject(2));
                }, rolloutKey, path, Timestamp.from(from));
    }

    private static long supportTickets(Connection connection, String rolloutKey, Instant from) {
        return query(connection, "select coalesce(sum(count), 0) from signals where rollout_key = ? and type = 'support-ticket' and at >= ?",
                rows -> {
                    rows.next();
                    return rows.getLong(1);
                }, rolloutKey, Timestamp.from(from));
    }

    private static Observation shadowMismatchRate(Connection connection, String rolloutKey, String category, Instant from) {
        return query(connection, """
                select coalesce(sum(mismatches), 0), coalesce(sum(comparisons), 0) from shadow_comparisons
                where rollout_key = ? and category = ? and period_end >= ?""",
                rows -> {
                    rows.next();
                    return Observation.rate(rows.getLong(1), rows.getLong(2));
                }, rolloutKey, category, Timestamp.from(from));
    }

    /** How many critical checks failed on their latest result in the window. */
    private static Observation smokeFailures(Connection connection, String rolloutKey, Instant from) {
        return query(connection, """
                select count(*), count(*) filter (where not passed) from (
                    select distinct on (check_name) check_name, passed from smoke_results
                    where rollout_key = ? and at >= ? and check_name = any(?) order by check_name, at desc) latest""",
                rows -> {
                    rows.next();
                    return Observation.of(rows.getLong(2), rows.getLong(1));
                }, rolloutKey, Timestamp.from(from), Vocabulary.CRITICAL_SMOKE_CHECKS.toArray(String[]::new));
    }

    /** Where a statistic's window starts ({@link StatKey#windowStart}, shared with the replay). */
    static Instant windowStart(StatKey key, Instant stepEnteredAt, Instant now) {
        return key.windowStart(stepEnteredAt, now);
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, RowReader<T> reader, Object... parameters) {
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, sql, reader, parameters);
        } catch (SQLException e) {
            throw new PersistenceException(e.getMessage(), e);
        }
    }

    private static <T> T query(Connection connection, String sql, RowReader<T> reader, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter instanceof String[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("text", array));
                } else {
                    statement.setObject(i + 1, parameter);
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new PersistenceException(e.getMessage(), e);
        }
    }
}
