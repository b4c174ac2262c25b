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
 * Deletes raw reports older than {@code rollout.telemetry.retention}, in small batches so a large
 * backlog never holds long locks. Rollups, sessions and the journal are kept.
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
        } catch (SQLException e) {
            LOG.warnf("retention skipped: %s", e.getMessage());
        }
    }

    /** Returns how many raw reports were deleted. */
    public long deleteExpired() throws SQLException {
        Instant cutoff = clock.instant().minus(config.telemetry().retention());
        long total = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("""
                     delete from telemetry_reports where report_id in (
                         select report_id from telemetry_reports where period_end < ? limit ?)""")) {
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
