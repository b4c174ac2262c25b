package dev.rolloutcontroller.notify;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a webhook is told, as stable wire names. Audit events map onto these ({@link #forAuditEvent});
 * events that stakeholders need not hear about (canary edits, sign-offs, tokens) map to nothing.
 */
public enum NotificationType {
    ROLLOUT_STARTED("rollout.started"),
    STEP_ADVANCED("step.advanced"),
    ROLLOUT_READY("rollout.ready"),
    TRIGGER_BREACHED("trigger.breached"),
    ROLLOUT_PAUSED("rollout.paused"),
    ROLLOUT_RESUMED("rollout.resumed"),
    ROLLOUT_STEPPED_BACK("rollout.stepped-back"),
    ROLLOUT_ROLLED_BACK("rollout.rolled-back"),
    ROLLOUT_COMPLETED("rollout.completed"),
    /** An operator changed the plan of the rollout; the values list the changed paths with before and after. */
    PLAN_CHANGED("plan.changed"),
    /** The evaluator decided an action and could not apply it; sent once per streak of failed passes. */
    EVALUATOR_FAILED("evaluator.failed"),
    /** An admin started or advanced a rollout inside a freeze; the freeze and the reason are in the values. */
    FREEZE_OVERRIDDEN("rollout.freeze-overridden"),
    /** A draft's scheduled start was set, moved or cleared. */
    ROLLOUT_SCHEDULED("rollout.scheduled"),
    /** Sent once, a configurable time before a scheduled start, naming the sign-offs and entry gates still open. */
    ROLLOUT_STARTING_SOON("rollout.starting-soon"),
    /** Sent by {@code POST /api/v1/webhooks/{id}/test} to that subscription only, whatever its filter. */
    WEBHOOK_TEST("webhook.test");

    /** The actor the automatic evaluator records; its rollback, step-back and pause are trigger actions. */
    static final String EVALUATOR = "evaluator";

    private final String wireName;

    NotificationType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<NotificationType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }

    /** The types a subscription may list in {@code events} (the test event is always sent). */
    public static List<String> subscribable() {
        return Arrays.stream(values()).filter(type -> type != WEBHOOK_TEST).map(NotificationType::wireName).toList();
    }

    /**
     * The notification an audit event stands for, if any. An advance whose state after is COMPLETED is
     * the completion; a rollback, step-back or pause by the evaluator is a trigger's action.
     */
    public static Optional<NotificationType> forAuditEvent(String auditType, String actor, Map<String, Object> after) {
        boolean byEvaluator = EVALUATOR.equals(actor);
        NotificationType type = switch (auditType) {
            case "rollout.started", "rollout.force-started" -> ROLLOUT_STARTED;
            case "rollout.advanced", "rollout.force-advanced" ->
                    after != null && "COMPLETED".equals(after.get("status")) ? ROLLOUT_COMPLETED : STEP_ADVANCED;
            case "rollout.ready-to-advance", "rollout.awaiting-sign-off" -> ROLLOUT_READY;
            case "rollout.rolled-back" -> byEvaluator ? TRIGGER_BREACHED : ROLLOUT_ROLLED_BACK;
            case "rollout.stepped-back" -> byEvaluator ? TRIGGER_BREACHED : ROLLOUT_STEPPED_BACK;
            case "rollout.paused" -> byEvaluator ? TRIGGER_BREACHED : ROLLOUT_PAUSED;
            case "rollout.resumed" -> ROLLOUT_RESUMED;
            case "evaluator.failed" -> EVALUATOR_FAILED;
            case "rollout.freeze-overridden" -> FREEZE_OVERRIDDEN;
            case "rollout.scheduled" -> ROLLOUT_SCHEDULED;
            case "rollout.starting-soon" -> ROLLOUT_STARTING_SOON;
            case "rollout.plan-changed" -> PLAN_CHANGED;
            default -> null;
        };
        return Optional.ofNullable(type);
    }
}
