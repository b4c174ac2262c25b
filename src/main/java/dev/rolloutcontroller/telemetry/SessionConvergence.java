package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.FlagRules;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.service.Rollouts;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which reporting sessions run what their flags say now. A session counts as reporting when its
 * last report ended within {@code rollout.evaluator.convergence-window}; its state is that last
 * report's path and applied flag version. It is stale when it runs another path than its flag
 * decision now says, or applied an older rollout version (a report without {@code flagVersion}
 * is judged by its path alone). What {@code deploy/rollback-monitor.sh} waits on after a rollback.
 */
@ApplicationScoped
public class SessionConvergence {

    /** The most sessions one answer lists; the counts always cover every reporting session. */
    public static final int MAX_LIMIT = 1000;

    public record SessionState(String sessionId, String path, Long flagVersion, String expectedPath, Instant lastReportAt,
                               boolean stale) {
    }

    public record Fleet(String rollout, long version, String status, Instant since, int sessionsReporting,
                        int sessionsCurrent, int sessionsStale, List<SessionState> sessions) {
    }

    private static final String LATEST_PER_SESSION = """
            select distinct on (session_id) session_id, path, flag_version, last_seen
            from telemetry_sessions where rollout_key = ? and last_seen >= ?
            order by session_id, last_seen desc""";

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final RolloutConfig config;

    SessionConvergence(AgroalDataSource dataSource, Clock clock, RolloutConfig config) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.config = config;
    }

    /** Every reporting session counted; at most {@code limit} listed, stale ones only when {@code staleOnly}. */
    @Transactional
    public Fleet fleet(String rolloutKey, boolean staleOnly, int limit) {
        Rollout rollout = RolloutMapping.toDomain(Rollouts.existing(rolloutKey));
        Set<String> canary = Set.copyOf(rollout.canarySessions());
        Instant since = clock.instant().minus(config.evaluator().convergenceWindow());
        List<SessionState> listed = new ArrayList<>();
        int reporting = 0;
        int stale = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(LATEST_PER_SESSION)) {
            query.setString(1, rolloutKey);
            query.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String session = rows.getString(1);
                    String path = rows.getString(2);
                    Long flagVersion = (Long) rows.getObject(3);
                    String expected = FlagRules.decide(rollout, canary, session).enabled() ? "new" : "legacy";
                    boolean isStale = !path.equals(expected) || (flagVersion != null && flagVersion < rollout.version());
                    reporting++;
                    if (isStale) {
                        stale++;
                    }
                    if ((isStale || !staleOnly) && listed.size() < limit) {
                        listed.add(new SessionState(session, path, flagVersion, expected, rows.getTimestamp(4).toInstant(), isStale));
                    }
                }
            }
        } catch (SQLException e) {
            throw new PersistenceException("reading the sessions of " + rolloutKey + " failed", e);
        }
        return new Fleet(rollout.key(), rollout.version(), rollout.status().name(), since, reporting, reporting - stale,
                stale, listed);
    }
}
