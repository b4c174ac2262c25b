package dev.rolloutcontroller.persistence;

import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a change committed on one replica reaches the others within milliseconds: the change sends
 * {@code NOTIFY <channel>, '<payload>'} inside its own transaction (so it is delivered on commit, and
 * never for a rolled-back change), and every replica listens on a dedicated connection (outside the
 * pool) and applies the payloads it receives. After a lost connection the listener calls
 * {@code onReconnect}, since notifications sent meanwhile are gone; each user keeps a timed refresh
 * as the safety net.
 */
public final class ChangeChannel {

    private static final Logger LOG = Logger.getLogger(ChangeChannel.class);
    private static final int WAIT_MILLIS = 1000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String channel;
    private final String url;
    private final String username;
    private final String password;
    private final Consumer<Set<String>> onChange;
    private final Runnable onReconnect;
    private volatile boolean running;
    private Thread listener;

    public ChangeChannel(String channel, String url, String username, String password,
                         Consumer<Set<String>> onChange, Runnable onReconnect) {
        this.channel = channel;
        this.url = url;
        this.username = username;
        this.password = password;
        this.onChange = onChange;
        this.onReconnect = onReconnect;
    }

    /** In the changing transaction: PostgreSQL delivers the notification only if it commits. */
    public static void announce(EntityManager entityManager, String channel, String payload) {
        entityManager.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, channel)
                .setParameter(2, payload)
                .getSingleResult();
    }

    public void start() {
        running = true;
        listener = new Thread(this::listen, channel + "-listener");
        listener.setDaemon(true);
        listener.start();
    }

    public void stop() throws InterruptedException {
        running = false;
        if (listener != null) {
            listener.join(WAIT_MILLIS * 3L);
        }
    }

    private void listen() {
        int failures = 0;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                if (failures > 0) {
                    LOG.infof("listening on %s again; re-reading everything it carries", channel);
                    onReconnect.run();
                }
                failures = 0;
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = notifications.getNotifications(WAIT_MILLIS);
                    if (batch != null && batch.length > 0) {
                        Set<String> payloads = new LinkedHashSet<>();
                        for (PGNotification notification : batch) {
                            payloads.add(notification.getParameter());
                        }
                        onChange.accept(payloads);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (failures++ == 0) {
                    LOG.warnf("not listening on %s (%s); retrying, the timed refresh covers the gap", channel, e.getMessage());
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
