package dev.rolloutcontroller.ui;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes "this rollout changed" to the open console pages. The database announces every audited
 * change and every evaluation on the {@value #CHANNEL} channel (migration V7), on commit and to every
 * replica, so a change made through the API, by the evaluator or on another replica reaches the page
 * within a second. The page then fetches its live part again: the event carries no state, so nothing
 * here depends on who is looking.
 */
@ApplicationScoped
public class ConsoleUpdates {

    static final String CHANNEL = "rollout_console";
    static final String EVENT_NAME = "changed";

    private static final Logger LOG = Logger.getLogger(ConsoleUpdates.class);
    private static final int WAIT_MILLIS = 1000;

    private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final String url;
    private final String username;
    private final Optional<String> password;
    private volatile boolean running;
    private Thread listener;

    ConsoleUpdates(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                   @ConfigProperty(name = "quarkus.datasource.username") String username,
                   @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    void subscribe(String key, SseEventSink sink, Sse sse) {
        Set<Subscriber> forKey = subscribers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        Subscriber subscriber = new Subscriber(sink, sse, forKey);
        forKey.add(subscriber);
        subscriber.comment("connected");
    }

    void changed(String key) {
        Set<Subscriber> forKey = subscribers.get(key);
        if (forKey != null) {
            forKey.forEach(Subscriber::changed);
        }
    }

    @Scheduled(every = "${rollout.flags.heartbeat-interval:PT15S}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        subscribers.values().forEach(forKey -> forKey.forEach(s -> s.comment("heartbeat")));
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        listener = new Thread(this::listen, "console-change-listener");
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
                    // Notifications sent while disconnected are gone: have every open page look again.
                    subscribers.keySet().forEach(this::changed);
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
                        keys.forEach(this::changed);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (failures++ == 0) {
                    LOG.warnf("console pages are not told of changes (%s); retrying", e.getMessage());
                }
                try {
                    Thread.sleep(Math.min(30_000L, 500L * failures));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /**
     * One open page; sends are serialised. A page that went away (a navigation, a closed tab) is an
     * ordinary end of its stream: it is dropped quietly when its connection is seen closed or a send to
     * it fails. (Returned as a Multi, an event racing the close was logged by the framework as an ERROR.)
     */
    private static final class Subscriber {

        private final SseEventSink sink;
        private final Sse sse;
        private final Set<Subscriber> forKey;

        Subscriber(SseEventSink sink, Sse sse, Set<Subscriber> forKey) {
            this.sink = sink;
            this.sse = sse;
            this.forKey = forKey;
        }

        void changed() {
            send(sse.newEventBuilder().name(EVENT_NAME).data(String.class, "changed").build());
        }

        void comment(String text) {
            send(sse.newEventBuilder().comment(text).build());
        }

        private synchronized void send(OutboundSseEvent event) {
            if (sink.isClosed()) {
                drop();
                return;
            }
            try {
                sink.send(event).whenComplete((sent, failure) -> {
                    if (failure != null) {
                        drop();
                    }
                });
            } catch (IllegalStateException closedMeanwhile) {
                drop();
            }
        }

        private void drop() {
            forKey.remove(this);
            sink.close();
        }
    }
}
