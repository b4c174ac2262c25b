package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.config.RolloutConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * This replica's side of the evaluator lease: one row of {@code evaluator_lease} that a replica
 * takes when it is free or expired, renews every {@code rollout.evaluator.lease-renewal}, and gives
 * up on shutdown. Expiry is always computed by the database clock ({@code clock_timestamp()}), so
 * the replicas' clocks do not matter. The epoch grows at each take-over; it is the fencing token
 * that {@link #requireHeld(long)} checks inside the transaction applying a decision, so a leader
 * that froze or was cut off and lost the lease meanwhile applies nothing when it wakes.
 */
@ApplicationScoped
public class EvaluatorLease {

    static final String NAME = "evaluator";

    private static final Logger LOG = Logger.getLogger(EvaluatorLease.class);

    /** Renewal keeps the epoch of a live lease; a take-over (free, expired, or another holder's) increments it. */
    private static final String TAKE_OR_RENEW = """
            update evaluator_lease
               set epoch = case when holder = ? and expires_at > clock_timestamp() then epoch else epoch + 1 end,
                   acquired_at = case when holder = ? and expires_at > clock_timestamp() then acquired_at else clock_timestamp() end,
                   holder = ?,
                   renewed_at = clock_timestamp(),
                   expires_at = clock_timestamp() + make_interval(secs => ?)
             where name = ? and (holder = ? or holder is null or expires_at <= clock_timestamp())
            returning epoch, expires_at""";

    private static final String READ = "select holder, epoch, expires_at from evaluator_lease where name = ?";

    private static final String RELEASE = """
            update evaluator_lease set holder = null, expires_at = '-infinity'
             where name = ? and holder = ? and epoch = ?""";

    /**
     * FOR SHARE: a take-over (an UPDATE of this row) waits until the transaction applying a decision
     * has ended, so no decision commits after its leader lost the lease.
     */
    private static final String FENCE = """
            select epoch from evaluator_lease
             where name = ? and holder = ? and epoch = ? and expires_at > clock_timestamp()
               for share""";

    /**
     * A holder that freezes inside that transaction would keep the share lock forever; the server
     * ends such a session once it has been idle for one lease length, which releases the lock.
     */
    private static final String FENCED_IDLE_LIMIT = "select set_config('idle_in_transaction_session_timeout', ?, true)";

    private final DataSource dataSource;
    private final String holder;
    private final Duration duration;
    private final Duration renewal;
    private final boolean competing;
    private volatile LeaseState state;
    private volatile boolean stopping;

    @Inject
    EvaluatorLease(AgroalDataSource dataSource, RolloutConfig config) {
        this(dataSource, replicaId(), config.evaluator().leaseDuration(), config.evaluator().leaseRenewal(),
                config.evaluator().enabled());
    }

    /** A lease under its own holder name (tests run two in one JVM). */
    EvaluatorLease(DataSource dataSource, String holder, Duration duration, Duration renewal, boolean competing) {
        if (renewal.isZero() || renewal.isNegative() || renewal.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("rollout.evaluator.lease-renewal (" + renewal
                    + ") must be positive and shorter than rollout.evaluator.lease-duration (" + duration + ")");
        }
        this.dataSource = dataSource;
        this.holder = holder;
        this.duration = duration;
        this.renewal = renewal;
        this.competing = competing;
        this.state = LeaseState.unknown(holder);
    }

    /** What this replica knows of the lease: whether it leads, and the epoch and expiry it last saw. */
    public record LeaseState(String replica, boolean leading, String holder, long epoch, Instant expiresAt) {
        static LeaseState unknown(String replica) {
            return new LeaseState(replica, false, null, 0, null);
        }
    }

    /** Thrown inside the transaction of a decision when this replica no longer holds the lease with that epoch. */
    public static final class LeadershipLostException extends RuntimeException {
        LeadershipLostException(String message) {
            super(message);
        }
    }

    @Scheduled(every = "${rollout.evaluator.lease-renewal:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void renewOnSchedule() {
        if (competing) {
            takeOrRenew();
        }
    }

    /** Takes the lease if free or expired, renews it if held; returns the resulting state. */
    public synchronized LeaseState takeOrRenew() {
        if (stopping) {
            return state;
        }
        LeaseState before = state;
        try (Connection connection = dataSource.getConnection()) {
            LeaseState after;
            try (PreparedStatement update = connection.prepareStatement(TAKE_OR_RENEW)) {
                update.setString(1, holder);
                update.setString(2, holder);
                update.setString(3, holder);
                update.setDouble(4, duration.toMillis() / 1000.0);
                update.setString(5, NAME);
                update.setString(6, holder);
                // A renewal must not hang behind a frozen holder's share lock; the next one tries again.
                update.setQueryTimeout(timeoutSeconds(renewal));
                try (ResultSet row = update.executeQuery()) {
                    after = row.next()
                            ? new LeaseState(holder, true, holder, row.getLong(1), row.getTimestamp(2).toInstant())
                            : read(connection);
                }
            }
            state = after;
            logChange(before, after);
            return after;
        } catch (SQLException e) {
            state = new LeaseState(holder, false, before.holder(), before.epoch(), before.expiresAt());
            if (before.leading()) {
                LOG.warnf("evaluator lease: cannot renew epoch %d (%s); following until the database answers",
                        before.epoch(), e.getMessage());
            } else {
                LOG.debugf("evaluator lease unavailable: %s", e.getMessage());
            }
            return state;
        }
    }

    /** The epoch to pass to {@link #requireHeld(long)} when this replica leads. */
    public OptionalLong leadingEpoch() {
        LeaseState current = state;
        return current.leading() && !stopping ? OptionalLong.of(current.epoch()) : OptionalLong.empty();
    }

    public LeaseState state() {
        return state;
    }

    public Duration duration() {
        return duration;
    }

    /**
     * The fencing check: must run first in the transaction applying a decision (on the connection
     * that transaction uses). Passes only while this replica holds the lease with this epoch by the
     * database clock, and then keeps it from being taken over until the transaction ends.
     */
    public void requireHeld(long epoch) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement limit = connection.prepareStatement(FENCED_IDLE_LIMIT)) {
                limit.setString(1, duration.toMillis() + "ms");
                limit.executeQuery().close();
            }
            try (PreparedStatement fence = connection.prepareStatement(FENCE)) {
                fence.setString(1, NAME);
                fence.setString(2, holder);
                fence.setLong(3, epoch);
                try (ResultSet row = fence.executeQuery()) {
                    if (!row.next()) {
                        throw new LeadershipLostException("this replica no longer holds the evaluator lease with epoch " + epoch);
                    }
                }
            }
        } catch (SQLException e) {
            throw new LeadershipLostException("cannot confirm the evaluator lease with epoch " + epoch + ": " + e.getMessage());
        }
    }

    /** A decision was refused by the fence: follow until the lease is taken again. */
    public synchronized void lost(long epoch, String why) {
        LeaseState current = state;
        if (current.epoch() == epoch && current.leading()) {
            state = new LeaseState(holder, false, current.holder(), current.epoch(), current.expiresAt());
        }
        LOG.warnf("lost evaluator leadership (epoch %d): %s; applied nothing, following", epoch, why);
    }

    /** Gives the lease up so another replica can take it at once instead of after its expiry. */
    public synchronized void release() {
        LeaseState current = state;
        if (!current.leading()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(RELEASE)) {
            update.setString(1, NAME);
            update.setString(2, holder);
            update.setLong(3, current.epoch());
            update.setQueryTimeout(timeoutSeconds(renewal));
            if (update.executeUpdate() == 1) {
                LOG.infof("released the evaluator lease (epoch %d)", current.epoch());
            }
        } catch (SQLException e) {
            LOG.warnf("could not release the evaluator lease (it expires on its own): %s", e.getMessage());
        } finally {
            state = new LeaseState(holder, false, null, current.epoch(), null);
        }
    }

    /** Stops competing and gives the lease up: at the start of the shutdown delay, while the database is still there. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        stop();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    private void stop() {
        stopping = true;
        release();
    }

    private LeaseState read(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(READ)) {
            select.setString(1, NAME);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("the evaluator_lease row is missing");
                }
                Timestamp expires = row.getTimestamp(3);
                return new LeaseState(holder, false, row.getString(1), row.getLong(2),
                        expires == null ? null : expires.toInstant());
            }
        }
    }

    private void logChange(LeaseState before, LeaseState after) {
        if (after.leading() && (!before.leading() || before.epoch() != after.epoch())) {
            LOG.infof("this replica (%s) now leads the evaluator: lease epoch %d, expires %s",
                    holder, after.epoch(), after.expiresAt());
        } else if (before.leading() && !after.leading()) {
            LOG.warnf("lost evaluator leadership (epoch %d): the lease is held by %s at epoch %d; following",
                    before.epoch(), after.holder(), after.epoch());
        }
    }

    private static int timeoutSeconds(Duration duration) {
        return (int) Math.max(1, duration.toSeconds());
    }

    /** Unique per process: host, pid and a random part (a restarted replica is a new holder). */
    private static String replicaId() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName();
        return runtime + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
