package dev.rolloutcontroller.domain;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What may change in the plan of a rollout that is under way, and what did change.
 *
 * <p>Steps already left are history and stay as they were; the current step keeps its name (its sign-offs
 * are filed under it), its percentage and whether it is a shadow step (those decide who is on the new path:
 * step-back or advance moves sessions, not an edit). Everything else may change: the current step's soak and
 * gates, every later step, the triggers. A DRAFT or ROLLED_BACK rollout has nobody on the new path and starts
 * again from the first step, so any plan may replace its plan.
 */
public final class PlanEdits {

    /** The longest diff an audit event lists; a longer one ends with a count of the rest. */
    public static final int MAX_CHANGES = 100;

    /** One changed JSON path of the plan's wire form, with its value before and after (null when absent). */
    public record Change(String path, Object before, Object after) {
    }

    private PlanEdits() {
    }

    /** Every rule the new plan breaks for this rollout, each naming its field under {@code prefix}. */
    public static List<FieldError> violations(Rollout rollout, Plan next, String prefix) {
        if (rollout.status() == RolloutStatus.DRAFT || rollout.status() == RolloutStatus.ROLLED_BACK) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>();
        String steps = FieldErrors.field(prefix, "steps");
        int current = rollout.stepIndex();
        List<Step> before = rollout.plan().steps();
        if (next.steps().size() <= current) {
            errors.add(new FieldError(steps, "the rollout is at step " + current + " (" + rollout.currentStep().name()
                    + "): keep steps 0.." + current + " and change only what comes after"));
            return errors;
        }
        for (int i = 0; i < current; i++) {
            String at = FieldErrors.index(steps, i);
            for (String field : differingFields(before.get(i), next.steps().get(i))) {
                errors.add(new FieldError(FieldErrors.field(at, field), "step " + before.get(i).name()
                        + " was already left: its definition is history and cannot change"));
            }
        }
        Step was = before.get(current);
        Step is = next.steps().get(current);
        String at = FieldErrors.index(steps, current);
        if (!was.name().equals(is.name())) {
            errors.add(new FieldError(FieldErrors.field(at, "name"), "the current step keeps its name '" + was.name()
                    + "' (its sign-offs are filed under it)"));
        }
        if (was.percentage() != is.percentage()) {
            errors.add(new FieldError(FieldErrors.field(at, "percentage"), "the current step's percentage stays "
                    + was.percentage() + " while sessions are on it: use step-back or advance to move them"));
        }
        if (was.shadow() != is.shadow()) {
            errors.add(new FieldError(FieldErrors.field(at, "shadow"), "the current step stays "
                    + (was.shadow() ? "a shadow step" : "a live step") + " while sessions are on it"));
        }
        return errors;
    }

    private static List<String> differingFields(Step a, Step b) {
        List<String> fields = new ArrayList<>();
        if (!a.name().equals(b.name())) {
            fields.add("name");
        }
        if (a.percentage() != b.percentage()) {
            fields.add("percentage");
        }
        if (!a.soak().equals(b.soak())) {
            fields.add("soak");
        }
        if (a.shadow() != b.shadow()) {
            fields.add("shadow");
        }
        if (!a.entryGates().equals(b.entryGates())) {
            fields.add("entryGates");
        }
        if (!a.exitGates().equals(b.exitGates())) {
            fields.add("exitGates");
        }
        return fields;
    }

    /**
     * The changed paths between two plans in wire form ({@link PlanSpecs#fromPlan}, so both are in normal form),
     * depth first in document order. Records (the specs) and maps are objects whose components are the JSON
     * members; a changed scalar is one change; an object or list that appears or disappears whole is one change;
     * lists are compared index by index. Absent and null are the same. Reading the components generically keeps
     * the diff right for fields added to the plan later.
     */
    public static List<Change> diff(Object before, Object after, String path) {
        List<Change> changes = new ArrayList<>();
        collect(before, after, path, changes);
        return changes;
    }

    private static void collect(Object beforeValue, Object afterValue, String path, List<Change> changes) {
        Object before = members(beforeValue);
        Object after = members(afterValue);
        if (before instanceof Map<?, ?> a && after instanceof Map<?, ?> b) {
            Set<Object> keys = new LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (Object key : keys) {
                collect(a.get(key), b.get(key), FieldErrors.field(path, key.toString()), changes);
            }
        } else if (before instanceof List<?> a && after instanceof List<?> b) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                collect(i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, FieldErrors.index(path, i), changes);
            }
        } else if (!sameValue(before, after)) {
            changes.add(new Change(path, before, after));
        }
    }

    /** A record as its components in declaration order (the JSON members); anything else as it is. */
    private static Object members(Object value) {
        if (value == null || !value.getClass().isRecord()) {
            return value;
        }
        Map<String, Object> members = new LinkedHashMap<>();
        for (RecordComponent component : value.getClass().getRecordComponents()) {
            try {
                members.put(component.getName(), component.getAccessor().invoke(value));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the accessor of a public record component failed: " + component, e);
            }
        }
        return members;
    }

    /** Numbers compare by value, so 0.05 read back as a double equals 0.05 submitted as a decimal. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a, b);
    }

    /** The diff as an audit event stores it: at most {@link #MAX_CHANGES} entries of {path, before, after}. */
    public static List<Map<String, Object>> describe(List<Change> changes) {
        List<Map<String, Object>> described = new ArrayList<>();
        for (Change change : changes.subList(0, Math.min(changes.size(), MAX_CHANGES))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", change.path());
            entry.put("before", members(change.before()));
            entry.put("after", members(change.after()));
            described.add(entry);
        }
        return described;
    }
}
