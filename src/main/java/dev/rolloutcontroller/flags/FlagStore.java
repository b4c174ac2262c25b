package dev.rolloutcontroller.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.service.RolloutChanged;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Holds the flag snapshot every read is served from, so reads never touch the database and keep
 * answering while it is down. The snapshot is loaded at startup, replaced after each committed
 * change (from the change itself, no query), updated from other replicas' changes as their
 * notifications arrive ({@link FlagChangeListener}), and re-read on a timer as the safety net.
 * A failed re-read keeps the snapshot it has.
 */
@ApplicationScoped
public class FlagStore {

    private static final Logger LOG = Logger.getLogger(FlagStore.class);

    private final ObjectMapper json;
    private final FlagStreams streams;
    private volatile FlagSnapshot snapshot = FlagSnapshot.EMPTY;
    private volatile boolean refreshFailing;
    private final Clock clock;
    /** When the database was last read in full: the age the "snapshot older than a minute" alert watches. */
    private volatile Instant readAt;

    FlagStore(ObjectMapper json, FlagStreams streams, Clock clock) {
        this.json = json;
        this.streams = streams;
        this.clock = clock;
    }

    /** When the snapshot was last confirmed against the database; empty before the first read. */
    Optional<Instant> readAt() {
        return Optional.ofNullable(readAt);
    }

    FlagSnapshot snapshot() {
        return snapshot;
    }

    /** The fleet view now, then one event per change of the rollout. */
    Multi<OutboundSseEvent> stream(String key, String lastEventId, Sse sse) {
        return streams.subscribe(key, lastEventId, sse, () -> snapshot.get(key));
    }

    void onStart(@Observes StartupEvent event) {
        refreshFrom(loadAll());
        readAt = clock.instant();
        LOG.infof("flag snapshot loaded: %d rollout(s)", snapshot.all().size());
    }

    /** After the commit only: a rolled-back change must never be served. */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RolloutChanged changed) {
        Rollout rollout = changed.rollout();
        if (snapshot.isNewer(rollout.key(), rollout.version())) {
            put(List.of(RolloutFlags.of(rollout, json)));
        }
    }

    @Scheduled(every = "${rollout.flags.refresh-interval:PT5S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        List<Rollout> rollouts;
        try {
            rollouts = loadAll();
        } catch (RuntimeException e) {
            if (!refreshFailing) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                LOG.warnf("flag snapshot refresh failed, serving the last snapshot until the database answers: %s", root.getMessage());
                refreshFailing = true;
            }
            return;
        }
        if (refreshFailing) {
            LOG.info("flag snapshot refresh works again");
            refreshFailing = false;
        }
        refreshFrom(rollouts);
        readAt = clock.instant();
    }

    /** Re-reads the named rollouts (changed on another replica); throws when the database cannot be read. */
    void reload(Collection<String> keys) {
        refreshFrom(QuarkusTransaction.requiringNew().call(() ->
                RolloutEntity.<RolloutEntity>list("key in ?1", keys).stream().map(RolloutMapping::toDomain).toList()));
    }

    private void refreshFrom(List<Rollout> rollouts) {
        FlagSnapshot held = snapshot;
        List<RolloutFlags> changed = new ArrayList<>();
        for (Rollout rollout : rollouts) {
            if (held.isNewer(rollout.key(), rollout.version())) {
                changed.add(RolloutFlags.of(rollout, json));
            }
        }
        if (!changed.isEmpty()) {
            put(changed);
        }
    }

    /**
     * Swaps in a snapshot holding those candidates that are still newer than what is held, then
     * pushes them to the streams. Synchronised so concurrent commits and the timer never lose each
     * other's swaps; readers never wait on it.
     */
    private void put(List<RolloutFlags> candidates) {
        List<RolloutFlags> newer;
        synchronized (this) {
            newer = snapshot.newer(candidates);
            if (newer.isEmpty()) {
                return;
            }
            snapshot = snapshot.with(newer);
        }
        newer.forEach(streams::publish);
    }

    private static List<Rollout> loadAll() {
        return QuarkusTransaction.requiringNew().call(() ->
                RolloutEntity.<RolloutEntity>listAll().stream().map(RolloutMapping::toDomain).toList());
    }
}
