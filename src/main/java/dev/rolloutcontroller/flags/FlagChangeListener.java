package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.service.RolloutChanged;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Brings changes committed by other replicas into this one's flag snapshot within milliseconds:
 * every change sends {@code NOTIFY rollout_flags, '<key>'} inside its own transaction (so it is
 * delivered on commit, and never for a rolled-back change), and a listener on a dedicated connection
 * (outside the pool) re-reads the rollouts named. After a lost connection it re-reads everything,
 * since notifications sent meanwhile are gone; the timed refresh stays the safety net.
 */
@ApplicationScoped
public class FlagChangeListener {

    static final String CHANNEL = "rollout_flags";

    private static final Logger LOG = Logger.getLogger(FlagChangeListener.class);
    private static final int WAIT_MILLIS = 1000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final FlagStore store;
    private final String url;
    private final String username;
    private final Optional<String> password;
    private volatile boolean running;
    private Thread listener;

    FlagChangeListener(FlagStore store,
                       @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                       @ConfigProperty(name = "quarkus.datasource.username") String username,
                       @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.store = store;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** In the changing transaction: PostgreSQL delivers the notification only if it commits. */
    void notifyReplicas(@Observes RolloutChanged changed) {
        RolloutEntity.getEntityManager().createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, CHANNEL)
                .setParameter(2, changed.rollout().key())
                .getSingleResult();
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        listener = new Thread(this::listen, "flag-change-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        listener.join(WAIT_MILLIS * 3L);
    }

    private void listen() {
        int failures = 0;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password.orElse(""))) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (failures > 0) {
                    LOG.info("listening for flag changes again; re-reading every rollout");
                    store.refresh();
                }
                failures = 0;
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = notifications.getNotifications(WAIT_MILLIS);
                    if (batch != null && batch.length > 0) {
                        Set<String> keys = new LinkedHashSet<>();
                        for (PGNotification notification : batch) {
                            keys.add(notification.getParameter());
                        }
                        store.reload(keys);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (failures++ == 0) {
                    LOG.warnf("not listening for flag changes (%s); retrying, the timed refresh covers the gap", e.getMessage());
                }
                pause(failures);
            }
        }
    }

    private void pause(int failures) {
        long millis = Math.min(MAX_BACKOFF.toMillis(), 500L * failures);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
