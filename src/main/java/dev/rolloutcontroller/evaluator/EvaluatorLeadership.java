package dev.rolloutcontroller.evaluator;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Exactly one replica evaluates at a time: the one holding a PostgreSQL session-level advisory lock
 * on a dedicated connection (outside the pool, so nothing else can use or recycle it). Losing the
 * connection releases the lock in the server and loses leadership here; the next check tries again.
 */
@ApplicationScoped
public class EvaluatorLeadership {

    /** "rollout-evaluator" as a lock id shared by every replica. */
    static final long LOCK_ID = 0x726f6c6c6f757445L;

    private static final Logger LOG = Logger.getLogger(EvaluatorLeadership.class);

    private final String url;
    private final String username;
    private final Optional<String> password;
    private Connection connection;

    EvaluatorLeadership(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                        @ConfigProperty(name = "quarkus.datasource.username") String username,
                        @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** True when this replica holds the lock now (acquiring it if free). */
    public synchronized boolean isLeader() {
        try {
            if (connection != null && connection.isValid(2)) {
                return true;
            }
            release();
            Connection candidate = DriverManager.getConnection(url, username, password.orElse(""));
            try (Statement statement = candidate.createStatement();
                 ResultSet result = statement.executeQuery("select pg_try_advisory_lock(" + LOCK_ID + ")")) {
                result.next();
                if (result.getBoolean(1)) {
                    connection = candidate;
                    LOG.info("this replica now leads the evaluator");
                    return true;
                }
            }
            candidate.close();
            return false;
        } catch (SQLException e) {
            LOG.debugf("evaluator leadership unavailable: %s", e.getMessage());
            release();
            return false;
        }
    }

    /** Gives leadership up (closing the connection releases the lock). */
    public synchronized void release() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("closing the leadership connection: %s", e.getMessage());
        } finally {
            connection = null;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        release();
    }
}
