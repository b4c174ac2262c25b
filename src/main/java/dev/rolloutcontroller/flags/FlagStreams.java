package dev.rolloutcontroller.flags;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The open server-sent-event streams, by rollout. Each gets the fleet view when it connects (unless
 * its Last-Event-ID already names the current version), then one event per new version, pushed by
 * {@link FlagStore} right after the snapshot swap, and a comment line as a heartbeat. When the
 * replica shuts down, each stream is told to reconnect (a {@code retry:} hint, answered by another
 * replica behind the load balancer) and closed, so no stream holds the shutdown up.
 */
@ApplicationScoped
public class FlagStreams {

    static final String EVENT_NAME = "flags";
    /** The reconnect delay sent to streams closed by a shutdown. */
    static final long RECONNECT_MILLIS = 1000;

    private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /**
     * @param lastEventId the client's Last-Event-ID header, or null
     * @param current     reads the rollout's flags from the snapshot in use when the stream opens
     */
    Multi<OutboundSseEvent> subscribe(String key, String lastEventId, Sse sse, Supplier<Optional<RolloutFlags>> current) {
        return Multi.createFrom().emitter(emitter -> {
            Subscriber subscriber = new Subscriber(emitter, sse);
            Set<Subscriber> forKey = subscribers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
            forKey.add(subscriber);
            emitter.onTermination(() -> forKey.remove(subscriber));
            if (closing) {
                subscriber.close();
                return;
            }
            // Registered first, read second: a change committed in between is either in this read or published to us.
            current.get().ifPresent(flags -> subscriber.start(flags, lastEventId));
        });
    }

    void publish(RolloutFlags flags) {
        Set<Subscriber> forKey = subscribers.get(flags.key());
        if (forKey != null) {
            forKey.forEach(subscriber -> subscriber.offer(flags));
        }
    }

    @Scheduled(every = "${rollout.flags.heartbeat-interval:PT15S}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        subscribers.values().forEach(forKey -> forKey.forEach(Subscriber::heartbeat));
    }

    /** At the start of the shutdown delay (readiness already DOWN), or at shutdown when there is no delay. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        closeAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        closeAll();
    }

    private void closeAll() {
        closing = true;
        subscribers.values().forEach(forKey -> forKey.forEach(Subscriber::close));
    }

    /** The number of open streams (the rollout.flag.streams gauge). */
    int open() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    /** One client. Sends are serialised, and a version at or below the last one sent is dropped, so events never go backwards. */
    private static final class Subscriber {

        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final Sse sse;
        private long lastSent;
        private boolean closed;

        Subscriber(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
            this.emitter = emitter;
            this.sse = sse;
        }

        /** The fleet view on connect, unless the client says it already has exactly this version. */
        synchronized void start(RolloutFlags flags, String lastEventId) {
            if (lastSent == 0 && Long.toString(flags.version()).equals(lastEventId)) {
                lastSent = flags.version();
                return;
            }
            offer(flags);
        }

        synchronized void offer(RolloutFlags flags) {
            if (flags.version() <= lastSent) {
                return;
            }
            lastSent = flags.version();
            emitter.emit(sse.newEventBuilder()
                    .name(EVENT_NAME)
                    .id(Long.toString(flags.version()))
                    // Already JSON; no media type, which Quarkus would add as a non-standard "content-type:" line.
                    .data(String.class, flags.fleetJson())
                    .build());
        }

        synchronized void heartbeat() {
            emitter.emit(sse.newEventBuilder().comment("heartbeat").build());
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            emitter.emit(sse.newEventBuilder().comment("shutting down").reconnectDelay(RECONNECT_MILLIS).build());
            emitter.complete();
        }
    }
}
