package dev.rolloutcontroller.logging;

import dev.rolloutcontroller.persistence.AuditRecorded;
import dev.rolloutcontroller.persistence.EventEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One line per audited change, operators' actions and the evaluator's decisions alike, written
 * once the change has committed (a refused or rolled-back change logs nothing):
 * {@code rollout modular-monitor: rollout.rolled-back by alice (reason: error rate above 5%)}.
 * The category {@code dev.rolloutcontroller.action} holds nothing else, so it can be routed or
 * grepped on its own.
 */
@ApplicationScoped
public class ActionLog {

    private static final Logger LOG = Logger.getLogger("dev.rolloutcontroller.action");
    private static final int MAX_REASON = 500;

    /** Logs the change once its transaction has committed. */
    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) AuditRecorded recorded) {
        EventEntity event = recorded.event();
        log(event.rolloutKey, event.actor, line(event.rolloutKey, event.type, event.actor, event.reason));
    }

    static String line(String rolloutKey, String type, String actor, String reason) {
        StringBuilder text = new StringBuilder();
        if (rolloutKey != null) {
            text.append("rollout ").append(rolloutKey).append(": ");
        }
        text.append(type).append(" by ").append(actor);
        if (reason != null && !reason.isBlank()) {
            // User text: one line, bounded, so a reason cannot forge log lines.
            String flat = reason.replaceAll("\\p{Cntrl}", " ").strip();
            text.append(" (reason: ").append(flat.length() > MAX_REASON ? flat.substring(0, MAX_REASON) + "…" : flat).append(')');
        }
        return text.toString();
    }

    /**
     * The line's own rollout and actor are its fields, also where the request's differ (an operator's
     * evaluate-now logs the evaluator's decision) or where there is no request (the evaluator's passes).
     */
    private static void log(String rolloutKey, String actor, String line) {
        Object requestRollout = MDC.get(RequestLogContext.ROLLOUT);
        Object requestActor = MDC.get(RequestLogContext.ACTOR);
        put(RequestLogContext.ROLLOUT, rolloutKey);
        put(RequestLogContext.ACTOR, actor);
        try {
            LOG.info(line);
        } finally {
            put(RequestLogContext.ROLLOUT, requestRollout);
            put(RequestLogContext.ACTOR, requestActor);
        }
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
