package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.config.RolloutConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

/**
 * Deletes, in small batches so a large backlog never holds long locks: raw reports older than
 * {@code rollout.telemetry.retention}, and journal entries older than
 * {@code rollout.evaluator.journal-retention} that changed nothing. Rollups, sessions and the
 * entries that acted are kept.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    private static final int BATCH = 10_000;

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final RolloutConfig config;

    RetentionJob(AgroalDataSource dataSource, Clock clock, RolloutConfig config) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        try {
            long deleted = deleteExpired();
            if (deleted > 0) {
                LOG.infof("retention: deleted %d raw reports older than %s", deleted, config.telemetry().retention());
            }
            long pruned = pruneQuietJournal();
            if (pruned > 0) {
                LOG.infof("retention: deleted %d journal entries that changed nothing, older than %s", pruned,
                        config.evaluator().journalRetention());
            }
        } catch (SQLException e) {
            LOG.warnf("retention skipped: %s", e.getMessage());
        }
    }

    /**
     * Deletes journal entries older than the retention whose pass changed nothing (NONE, no failure);
     * returns how many. A rollout's newest entry stays whatever its age: the next pass reads its streaks.
     */
    public long pruneQuietJournal() throws SQLException {
        Instant cutoff = clock.instant().minus(config.evaluator().journalRetention());
        return deleteInBatches("""
                delete from evaluations where id in (
                    select e.id from evaluations e
                     where e.action = 'NONE' and e.failure is null and e.evaluated_at < ?
                       and exists (select 1 from evaluations newer where newer.rollout_key = e.rollout_key and newer.id > e.id)
                     limit ?)""", cutoff);
    }

    /** Returns how many raw reports were deleted. */
    public long deleteExpired() throws SQLException {
        Instant cutoff = clock.instant().minus(config.telemetry().retention());
        return deleteInBatches("""
                delete from telemetry_reports where report_id in (
                    select report_id from telemetry_reports where period_end < ? limit ?)""", cutoff);
    }

    /** Runs a delete of at most {@link #BATCH} rows older than the cutoff until it deletes fewer. */
    private long deleteInBatches(String sql, Instant cutoff) throws SQLException {
        long total = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            delete.setInt(2, BATCH);
            int deleted;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == BATCH);
        }
        return total;
    }
}
