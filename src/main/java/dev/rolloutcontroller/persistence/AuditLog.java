package dev.rolloutcontroller.persistence;

import dev.rolloutcontroller.logging.ActionLog;
import dev.rolloutcontroller.notify.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes audit events inside the caller's transaction, so a change and its record commit together,
 * and with them the webhook deliveries the event calls for (the outbox).
 */
@ApplicationScoped
public class AuditLog {

    private final WebhookOutbox outbox;
    private final ActionLog actionLog;

    AuditLog(WebhookOutbox outbox, ActionLog actionLog) {
        this.outbox = outbox;
        this.actionLog = actionLog;
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
        outbox.enqueue(event);
        actionLog.afterCommit(rolloutKey, type, actor, reason);
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
