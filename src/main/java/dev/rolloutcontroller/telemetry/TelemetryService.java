package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.service.Rollouts;
import dev.rolloutcontroller.service.ServiceException;
import dev.rolloutcontroller.telemetry.TelemetryRequests.Accepted;
import dev.rolloutcontroller.telemetry.TelemetryRequests.Report;
import dev.rolloutcontroller.telemetry.TelemetryRequests.ReportBatch;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Stores what daemons report. A batch is validated whole (nothing partial is stored from a rejected
 * batch) and written in one transaction and one statement: raw rows deduplicated by report id,
 * then the per-minute rollups and per-session state that the evaluator reads, from exactly the rows
 * that were new, so a retried report is counted once everywhere. The rollups' {@code sessions} counts a
 * session once per path and minute, also for reports that arrive late or twice; two batches of the
 * same session stored concurrently could both count a minute they share (a daemon sends one at a time).
 */
@ApplicationScoped
public class TelemetryService {

    static final long MAX_COUNT = 1_000_000_000L;
    static final double MAX_MILLIS = 86_400_000d;
    static final double MAX_CPU_PERCENT = 100_000d;
    static final long MAX_MEMORY = 1L << 50;

    /** Inserts the new reports and folds exactly those into rollups and session state. */
    private static final String INSERT_REPORTS = """
            with incoming as (
                select * from unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[],
                                     ?::bigint[], ?::float8[], ?::float8[], ?::float8[], ?::bigint[], ?::float8[], ?::bigint[])
                    as r(report_id, session_id, path, period_start, period_end, cycles, errors, p50, p95, max_ms, memory, cpu, flag_version)
            ), inserted as (
                insert into telemetry_reports (report_id, rollout_key, session_id, path, period_start, period_end, cycles, errors,
                                               cycle_time_p50_ms, cycle_time_p95_ms, cycle_time_max_ms, memory_bytes, cpu_percent,
                                               flag_version, received_at)
                select report_id, ?, session_id, path, period_start, period_end, cycles, errors, p50, p95, max_ms, memory, cpu,
                       flag_version, ?
                from incoming
                on conflict (report_id) do nothing
                returning *
            ), session_minutes as (
                select rollout_key, session_id, path, date_trunc('minute', period_end) as minute
                from inserted
                group by 1, 2, 3, 4
            ), first_in_minute as (
                -- A session counts once per path and minute: only where it had stored no report in that minute
                -- before this statement (which sees the session state and raw reports as they were). After its
                -- last or before its first minute is new; a late report in between looks at the raw reports.
                select m.rollout_key, m.path, m.minute, count(*) as sessions
                from session_minutes m
                left join telemetry_sessions s
                    on s.rollout_key = m.rollout_key and s.session_id = m.session_id and s.path = m.path
                where s.session_id is null
                   or m.minute > date_trunc('minute', s.last_seen)
                   or m.minute < date_trunc('minute', s.first_seen)
                   or (m.minute < date_trunc('minute', s.last_seen) and m.minute > date_trunc('minute', s.first_seen)
                       and not exists (select 1 from telemetry_reports r
                                       where r.rollout_key = m.rollout_key and r.session_id = m.session_id
                                         and r.path = m.path and r.period_end >= m.minute
                                         and r.period_end < m.minute + interval '1 minute'))
                group by 1, 2, 3
            ), rollups as (
                insert into telemetry_rollups as t (rollout_key, path, minute, reports, cycles, errors, p95_weighted_sum,
                                                    cycle_time_max_ms, memory_max_bytes, cpu_sum, sessions)
                select g.*, coalesce(f.sessions, 0)
                from (select rollout_key, path, date_trunc('minute', period_end) as minute, count(*), sum(cycles),
                             sum(errors), sum(cycle_time_p95_ms * cycles), max(cycle_time_max_ms), max(memory_bytes),
                             sum(cpu_percent)
                      from inserted
                      group by 1, 2, 3) g
                left join first_in_minute f using (rollout_key, path, minute)
                order by g.path, g.minute
                on conflict (rollout_key, path, minute) do update set
                    reports = t.reports + excluded.reports,
                    cycles = t.cycles + excluded.cycles,
                    errors = t.errors + excluded.errors,
                    p95_weighted_sum = t.p95_weighted_sum + excluded.p95_weighted_sum,
                    cycle_time_max_ms = greatest(t.cycle_time_max_ms, excluded.cycle_time_max_ms),
                    memory_max_bytes = greatest(t.memory_max_bytes, excluded.memory_max_bytes),
                    cpu_sum = t.cpu_sum + excluded.cpu_sum,
                    -- null (a row from before V11 whose raw reports expired) stays unknown
                    sessions = t.sessions + excluded.sessions
                returning 1
            ), sessions as (
                insert into telemetry_sessions as s (rollout_key, session_id, path, first_seen, last_seen,
                                                     first_memory_bytes, last_memory_bytes, flag_version)
                select rollout_key, session_id, path, min(period_end), max(period_end),
                       (array_agg(memory_bytes order by period_end))[1],
                       (array_agg(memory_bytes order by period_end desc))[1],
                       (array_agg(flag_version order by period_end desc))[1]
                from inserted
                group by rollout_key, session_id, path
                order by session_id, path
                on conflict (rollout_key, session_id, path) do update set
                    first_memory_bytes = case when excluded.first_seen < s.first_seen then excluded.first_memory_bytes else s.first_memory_bytes end,
                    first_seen = least(s.first_seen, excluded.first_seen),
                    last_memory_bytes = case when excluded.last_seen >= s.last_seen then excluded.last_memory_bytes else s.last_memory_bytes end,
                    flag_version = case when excluded.last_seen >= s.last_seen then coalesce(excluded.flag_version, s.flag_version) else s.flag_version end,
                    last_seen = greatest(s.last_seen, excluded.last_seen)
                returning 1
            )
            select (select count(*) from inserted), (select count(*) from rollups), (select count(*) from sessions)
            """;

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final RolloutConfig config;

    TelemetryService(AgroalDataSource dataSource, Clock clock, RolloutConfig config) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.config = config;
    }

    private record ValidReport(UUID id, String sessionId, String path, Instant start, Instant end, long cycles, long errors,
                               double p50, double p95, double max, long memory, double cpu, Long flagVersion) {
    }

    @Transactional
    public Accepted storeReports(String rolloutKey, ReportBatch batch) {
        List<ValidReport> reports = validate(batch);
        Rollouts.existing(rolloutKey);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT_REPORTS)) {
            int n = reports.size();
            Object[][] columns = new Object[13][n];
            for (int i = 0; i < n; i++) {
                ValidReport r = reports.get(i);
                Object[] row = {r.id(), r.sessionId(), r.path(), Timestamp.from(r.start()), Timestamp.from(r.end()),
                        r.cycles(), r.errors(), r.p50(), r.p95(), r.max(), r.memory(), r.cpu(), r.flagVersion()};
                for (int c = 0; c < row.length; c++) {
                    columns[c][i] = row[c];
                }
            }
            String[] types = {"uuid", "text", "text", "timestamptz", "timestamptz", "int8", "int8", "float8", "float8",
                    "float8", "int8", "float8", "int8"};
            for (int c = 0; c < types.length; c++) {
                Array array = connection.createArrayOf(types[c], columns[c]);
                insert.setArray(c + 1, array);
            }
            insert.setString(14, rolloutKey);
            insert.setTimestamp(15, Timestamp.from(clock.instant()));
            try (ResultSet result = insert.executeQuery()) {
                result.next();
                int accepted = result.getInt(1);
                // Ids repeated inside the batch count as duplicates too.
                return new Accepted(accepted, batch.reports().size() - accepted);
            }
        } catch (SQLException e) {
            throw new PersistenceException("storing " + reports.size() + " reports failed", e);
        }
    }

    @Transactional
    public Accepted storeSmokeResult(String rolloutKey, TelemetryRequests.SmokeResult in) {
        TelemetryValidation v = validation();
        if (in == null) {
            throw ServiceException.invalid("body", "a JSON object {check, passed, value, unit, sessionId?, at} is required");
        }
        String check = v.oneOf("check", in.check(), Vocabulary.SMOKE_CHECKS);
        if (in.passed() == null) {
            v.error("passed", "required: true or false");
        }
        if (in.value() != null && !Double.isFinite(in.value())) {
            v.error("value", "must be a finite number");
        }
        String unit = v.text("unit", in.unit(), 32);
        String session = v.sessionId("sessionId", in.sessionId(), false);
        Instant at = v.instant("at", in.at());
        v.throwIfInvalid();
        Rollouts.existing(rolloutKey);
        return insertOne("""
                insert into smoke_results (rollout_key, check_name, passed, value, unit, session_id, at, received_at)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                rolloutKey, check, in.passed(), in.value(), unit, session, Timestamp.from(at), now());
    }

    @Transactional
    public Accepted storeShadowComparison(String rolloutKey, TelemetryRequests.ShadowComparison in) {
        TelemetryValidation v = validation();
        if (in == null) {
            throw ServiceException.invalid("body", "a JSON object {sessionId, category, comparisons, mismatches, periodStart, periodEnd} is required");
        }
        String session = v.sessionId("sessionId", in.sessionId(), true);
        String category = v.oneOf("category", in.category(), Vocabulary.SHADOW_CATEGORIES);
        long comparisons = v.count("comparisons", in.comparisons(), MAX_COUNT);
        long mismatches = v.count("mismatches", in.mismatches(), MAX_COUNT);
        if (mismatches > comparisons) {
            v.error("mismatches", "cannot exceed comparisons");
        }
        Instant start = v.instant("periodStart", in.periodStart());
        Instant end = v.instant("periodEnd", in.periodEnd());
        v.period("", start, end);
        v.throwIfInvalid();
        Rollouts.existing(rolloutKey);
        return insertOne("""
                insert into shadow_comparisons (rollout_key, session_id, category, comparisons, mismatches, period_start, period_end, received_at)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                rolloutKey, session, category, comparisons, mismatches, Timestamp.from(start), Timestamp.from(end), now());
    }

    @Transactional
    public Accepted storeSignal(String rolloutKey, TelemetryRequests.Signal in) {
        TelemetryValidation v = validation();
        if (in == null) {
            throw ServiceException.invalid("body", "a JSON object {type, count, ref, at} is required");
        }
        String type = v.oneOf("type", in.type(), TelemetryValidation.SIGNAL_TYPES);
        int count = in.count() == null ? 1 : in.count();
        if (count < 1 || count > 1000) {
            v.error("count", "must be between 1 and 1000");
        }
        String ref = v.text("ref", in.ref(), 200);
        Instant at = v.instant("at", in.at());
        v.throwIfInvalid();
        Rollouts.existing(rolloutKey);
        return insertOne("""
                insert into signals (rollout_key, type, count, ref, at, received_at)
                values (?, ?, ?, ?, ?, ?) on conflict do nothing""",
                rolloutKey, type, count, ref, Timestamp.from(at), now());
    }

    private List<ValidReport> validate(ReportBatch batch) {
        if (batch == null || batch.reports() == null || batch.reports().isEmpty()) {
            throw ServiceException.invalid("reports", "required: 1 to " + TelemetryValidation.MAX_BATCH + " reports");
        }
        if (batch.reports().size() > TelemetryValidation.MAX_BATCH) {
            throw ServiceException.invalid("reports", "at most " + TelemetryValidation.MAX_BATCH + " reports per request");
        }
        TelemetryValidation v = validation();
        List<ValidReport> valid = new ArrayList<>(batch.reports().size());
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < batch.reports().size(); i++) {
            String p = "reports[" + i + "].";
            Report r = batch.reports().get(i);
            if (r == null) {
                v.error("reports[" + i + "]", "must be an object");
                continue;
            }
            UUID id = v.uuid(p + "reportId", r.reportId());
            String session = v.sessionId(p + "sessionId", r.sessionId(), true);
            String path = v.oneOf(p + "path", r.path(), List.of("new", "legacy"));
            Instant start = v.instant(p + "periodStart", r.periodStart());
            Instant end = v.instant(p + "periodEnd", r.periodEnd());
            v.period(p, start, end);
            long cycles = v.count(p + "cycles", r.cycles(), MAX_COUNT);
            long errors = v.count(p + "errors", r.errors(), MAX_COUNT);
            if (errors > cycles) {
                v.error(p + "errors", "cannot exceed cycles");
            }
            double p50 = v.measure(p + "cycleTimeP50Ms", r.cycleTimeP50Ms(), MAX_MILLIS);
            double p95 = v.measure(p + "cycleTimeP95Ms", r.cycleTimeP95Ms(), MAX_MILLIS);
            double max = v.measure(p + "cycleTimeMaxMs", r.cycleTimeMaxMs(), MAX_MILLIS);
            if (p50 > p95 || p95 > max) {
                v.error(p + "cycleTimeP95Ms", "cycle times must satisfy p50 <= p95 <= max");
            }
            long memory = v.count(p + "memoryBytes", r.memoryBytes(), MAX_MEMORY);
            double cpu = v.measure(p + "cpuPercent", r.cpuPercent(), MAX_CPU_PERCENT);
            if (r.flagVersion() != null && r.flagVersion() < 1) {
                v.error(p + "flagVersion", "must be a rollout version (>= 1)");
            }
            if (id != null && seen.add(id)) {
                valid.add(new ValidReport(id, session, path, start, end, cycles, errors, p50, p95, max, memory, cpu, r.flagVersion()));
            }
        }
        v.throwIfInvalid();
        return valid;
    }

    private Accepted insertOne(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            int inserted = statement.executeUpdate();
            return new Accepted(inserted, 1 - inserted);
        } catch (SQLException e) {
            throw new PersistenceException("storing telemetry failed", e);
        }
    }

    private TelemetryValidation validation() {
        return new TelemetryValidation(clock.instant(), config.telemetry().clockSkew(), config.telemetry().retention());
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
