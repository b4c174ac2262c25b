package dev.rolloutcontroller.notify;

import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.domain.evaluation.Verdict;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.EventEntity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds a {@link Notification} from an audit event and, where the evaluator decided, the journal
 * entry of that decision (the gates that passed, the trigger that fired). Pure: everything it reads is
 * passed in, and both inputs are immutable rows, so every retry sends the same document.
 */
public final class Notifications {

    /** Evaluation actions whose gates all passed: an advance, or ready and waiting for an operator. */
    static final Set<String> ALL_GATES_PASSED = Set.of("ADVANCE", "MARK_READY");
    /** How many changed paths the summary of a plan change names before "and N more". */
    static final int MAX_PATHS_IN_SUMMARY = 3;

    private Notifications() {
    }

    /**
     * @param evaluation the journal entry behind the event (see {@link WebhookOutbox}), or null
     * @param plan       the rollout's plan, to name the roles of pending sign-off gates, or null
     * @param baseUrl    prefix of the links: the public URL, or "" for paths relative to this service
     */
    public static Notification of(NotificationType type, EventEntity event, EvaluationEntity evaluation, Plan plan,
                                  String baseUrl) {
        Map<String, Object> before = event.before == null ? Map.of() : event.before;
        Map<String, Object> after = event.after == null ? Map.of() : event.after;
        String key = event.rolloutKey;
        Notification.State previous = event.before == null ? null
                : new Notification.State(text(before.get("status")), text(before.get("step")), integer(before.get("percentage")));
        String step = text(after.get("step"));
        Integer percentage = integer(after.get("percentage"));
        boolean forced = event.type.startsWith("rollout.force-");
        String by = actorName(event.actor);
        Map<String, Object> values = new LinkedHashMap<>();
        String summary = switch (type) {
            case ROLLOUT_STARTED -> {
                values.put("forced", forced);
                values.put("canarySessions", after.getOrDefault("canarySessions", List.of()));
                yield key + " started at " + at(step, percentage) + " by " + by + forcedSuffix(forced, event.reason);
            }
            case STEP_ADVANCED -> {
                values.put("from", position(previous));
                values.put("to", position(step, percentage));
                values.put("forced", forced);
                values.put("gates", passedGates(evaluation));
                yield key + " advanced from " + at(previous) + " to " + at(step, percentage) + " by " + by
                        + forcedSuffix(forced, event.reason);
            }
            case ROLLOUT_COMPLETED -> {
                values.put("from", position(previous));
                values.put("forced", forced);
                values.put("gates", passedGates(evaluation));
                yield key + " completed at " + percentage + "% by " + by + forcedSuffix(forced, event.reason);
            }
            case ROLLOUT_READY -> ready(key, step, percentage, after, evaluation, plan, values);
            case TRIGGER_BREACHED -> breached(key, event, previous, step, percentage, evaluation, values);
            case ROLLOUT_PAUSED -> key + " paused at " + at(step, percentage) + " by " + by + reasonSuffix(event.reason);
            case ROLLOUT_RESUMED -> key + " resumed at " + at(step, percentage) + " by " + by + reasonSuffix(event.reason);
            case ROLLOUT_STEPPED_BACK -> key + " stepped back from " + at(previous) + " to " + at(step, percentage)
                    + " by " + by + reasonSuffix(event.reason);
            case ROLLOUT_ROLLED_BACK -> key + " rolled back at " + percentage(previous) + "% by " + by + reasonSuffix(event.reason);
            case EVALUATOR_FAILED -> {
                values.put("decided", after.get("decided"));
                values.put("failure", after.get("failure"));
                yield key + ": the evaluator could not apply " + text(after.get("decided")) + " at " + at(step, percentage)
                        + " (" + after.get("failure") + "); it retries on every pass";
            }
            case FREEZE_OVERRIDDEN -> {
                values.put("action", after.get("action"));
                values.put("freeze", after.get("freeze"));
                yield key + ": " + by + " overrode a freeze to " + text(after.get("action")) + reasonSuffix(event.reason);
            }
            case ROLLOUT_SCHEDULED -> {
                values.put("startAt", after.get("startAt"));
                yield after.get("startAt") == null ? key + ": scheduled start cleared by " + by
                        : key + " is scheduled to start at " + after.get("startAt") + " (set by " + by + ")";
            }
            case ROLLOUT_STARTING_SOON -> {
                values.put("startAt", after.get("startAt"));
                values.put("openSignOffs", after.getOrDefault("openSignOffs", List.of()));
                values.put("openEntryGates", after.getOrDefault("openEntryGates", List.of()));
                yield key + " starts at " + after.get("startAt") + reasonSuffix(event.reason);
            }
            case PLAN_CHANGED -> planChanged(key, event, after, by, values);
            case WEBHOOK_TEST -> {
                values.putAll(after);
                yield "Test notification from rollout-controller, requested by " + event.actor;
            }
        };
        Map<String, String> links = null;
        if (key != null) {
            String rollout = baseUrl + "/api/v1/rollouts/" + key;
            links = new LinkedHashMap<>();
            links.put("rollout", rollout);
            links.put("events", rollout + "/events");
            links.put("evaluations", rollout + "/evaluations");
        }
        Number version = (Number) after.get("version");
        return new Notification(event.id, type.wireName(), event.occurredAt.toString(), key, text(after.get("status")),
                step, percentage, version == null ? null : version.longValue(), previous, event.actor, event.reason,
                summary, values.isEmpty() ? null : values, links);
    }

    /** Ready to advance: every gate passed, or only sign-offs are missing; names the roles still to sign. */
    private static String ready(String key, String step, Integer percentage, Map<String, Object> after,
                                EvaluationEntity evaluation, Plan plan, Map<String, Object> values) {
        List<Map<String, Object>> missing = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        if (evaluation != null) {
            Stream.concat(evaluation.exitGates.stream(), evaluation.entryGates.stream())
                    .filter(gate -> Gate.SIGN_OFF.equals(gate.kind()) && gate.verdict() != Verdict.PASS)
                    .forEach(gate -> {
                        String role = signOffRole(plan, gate);
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("role", role);
                        entry.put("step", gate.step());
                        entry.put("description", gate.description());
                        missing.add(entry);
                        roles.add(role == null ? gate.description() : role);
                    });
        }
        Integer index = integer(after.get("stepIndex"));
        Step next = plan != null && index != null && index + 1 < plan.steps().size() ? plan.steps().get(index + 1) : null;
        values.put("waitingFor", missing.isEmpty() ? "operator" : "sign-off");
        values.put("missingSignOffs", missing);
        if (next != null) {
            values.put("next", position(next.name(), next.percentage()));
        }
        if (evaluation != null) {
            values.put("gates", Stream.concat(evaluation.exitGates.stream(), evaluation.entryGates.stream()).toList());
        }
        String waiting = missing.isEmpty() ? "waiting for an operator" : "waiting for sign-off from " + String.join(", ", roles);
        return next == null
                ? key + " is ready to complete at " + at(step, percentage) + ": " + waiting
                : key + " is ready to advance from " + at(step, percentage) + " to " + at(next.name(), next.percentage())
                        + ": " + waiting;
    }

    /** An edited plan: its new version and the changed paths, the first few named in the summary. */
    private static String planChanged(String key, EventEntity event, Map<String, Object> after, String by,
                                      Map<String, Object> values) {
        Object changes = after.getOrDefault("changes", List.of());
        values.put("planVersion", after.get("planVersion"));
        values.put("changes", changes);
        List<String> paths = changes instanceof List<?> list
                ? list.stream().map(change -> change instanceof Map<?, ?> map ? text(map.get("path")) : null).toList() : List.of();
        int shown = Math.min(paths.size(), MAX_PATHS_IN_SUMMARY);
        String listed = String.join(", ", paths.subList(0, shown)) + (paths.size() > shown ? " and " + (paths.size() - shown) + " more" : "");
        String why = event.reason == null || event.reason.isBlank() ? "" : " (" + event.reason + ")";
        return key + " plan changed to version " + after.get("planVersion") + " by " + by + ": " + listed + why;
    }

    /**
     * A trigger fired and the evaluator acted: the trigger that decided (the most severe action, then
     * the first in the plan, as the engine chooses) with its metric, observed value and threshold.
     */
    private static String breached(String key, EventEntity event, Notification.State previous, String step,
                                   Integer percentage, EvaluationEntity evaluation, Map<String, Object> values) {
        String action = switch (event.type) {
            case "rollout.rolled-back" -> "rollback";
            case "rollout.stepped-back" -> "step-back";
            default -> "pause";
        };
        values.put("action", action);
        List<TriggerResult> fired = evaluation == null ? List.of()
                : evaluation.triggers.stream().filter(TriggerResult::fired)
                        .sorted(Comparator.comparing(TriggerResult::action).thenComparingInt(TriggerResult::index)).toList();
        String why = event.reason;
        if (!fired.isEmpty()) {
            TriggerResult decided = fired.get(0);
            values.put("metric", decided.metric());
            values.put("description", decided.description());
            values.put("observed", decided.observed());
            values.put("threshold", decided.threshold());
            values.put("samples", decided.samples());
            values.put("detail", decided.detail());
            values.put("alsoFired", fired.subList(1, fired.size()).stream().map(TriggerResult::description).toList());
            why = decided.detail();
        }
        String what = switch (action) {
            case "rollback" -> "rolled back at " + percentage(previous) + "%";
            case "step-back" -> "stepped back from " + at(previous) + " to " + at(step, percentage);
            default -> "paused at " + at(step, percentage);
        };
        return key + " " + what + ": " + why + " (" + event.actor + ")";
    }

    private static List<GateResult> passedGates(EvaluationEntity evaluation) {
        if (evaluation == null || !ALL_GATES_PASSED.contains(evaluation.action)) {
            return List.of();
        }
        return Stream.concat(evaluation.exitGates.stream(), evaluation.entryGates.stream()).toList();
    }

    /** The role of the plan's sign-off gate a result stands for, or null when the plan no longer has it. */
    private static String signOffRole(Plan plan, GateResult gate) {
        return plan == null ? null : gate.signOffRole(plan).orElse(null);
    }

    private static String actorName(String actor) {
        return NotificationType.EVALUATOR.equals(actor) ? "the evaluator" : actor;
    }

    private static Map<String, Object> position(Notification.State state) {
        return state == null ? null : position(state.step(), state.percentage());
    }

    private static Map<String, Object> position(String step, Integer percentage) {
        Map<String, Object> position = new LinkedHashMap<>();
        position.put("step", step);
        position.put("percentage", percentage);
        return position;
    }

    private static String at(Notification.State state) {
        return state == null ? "?" : at(state.step(), state.percentage());
    }

    private static String at(String step, Integer percentage) {
        return step + " (" + percentage + "%)";
    }

    private static Integer percentage(Notification.State state) {
        return state == null ? null : state.percentage();
    }

    /** A forced start or advance says why; otherwise the gates say it (and the evaluator's reason would repeat them). */
    private static String forcedSuffix(boolean forced, String reason) {
        return forced ? ", forced past its gates: " + reason : "";
    }

    private static String reasonSuffix(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Integer integer(Object value) {
        return value instanceof Number number ? number.intValue() : null;
    }
}
