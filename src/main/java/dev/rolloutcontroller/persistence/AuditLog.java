package dev.rolloutcontroller.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes audit events inside the caller's transaction, so a change and its record commit together,
 * and announces each one ({@link AuditRecorded}) to synchronous observers in that same transaction:
 * the webhook outbox enqueues its deliveries there.
 */
@ApplicationScoped
public class AuditLog {

    private final Event<AuditRecorded> recorded;

    AuditLog(Event<AuditRecorded> recorded) {
        this.recorded = recorded;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public EventEntity record(String rolloutKey, String type, String actor, String reason,
                              Map<String, Object> before, Map<String, Object> after, Instant at) {
        EventEntity event = new EventEntity();
        event.rolloutKey = rolloutKey;
        event.type = type;
        event.actor = actor;
        event.reason = reason;
        event.before = before;
        event.after = after;
        event.occurredAt = at;
        event.persist();
        recorded.fire(new AuditRecorded(event));
        return event;
    }

    /** Newest first; {@code beforeId} is the cursor from the previous page (exclusive). */
    public List<EventEntity> page(String rolloutKey, int limit, Long beforeId) {
        if (beforeId == null) {
            return EventEntity.find("rolloutKey = ?1 order by id desc", rolloutKey).page(0, limit).list();
        }
        return EventEntity.find("rolloutKey = ?1 and id < ?2 order by id desc", rolloutKey, beforeId)
                .page(0, limit).list();
    }
}
