package dev.rolloutcontroller.domain;

import dev.rolloutcontroller.domain.PlanSpec.DeploymentWindowSpec;
import dev.rolloutcontroller.domain.PlanSpec.FreezeSpec;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts between the wire form of a plan and the domain {@link Plan}. {@link #toPlan} checks every
 * rule and reports every violation with its field path; defaults are filled in, so
 * {@code fromPlan(toPlan(spec))} is the spec in normal form and {@code toPlan(fromPlan(plan))} is the plan.
 */
public final class PlanSpecs {

    static final int MAX_STEPS = 20;
    static final int MAX_GATES = 50;
    static final int MAX_TRIGGERS = 50;
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_CONSECUTIVE = 100;
    static final Duration MAX_SOAK = Duration.ofDays(30);
    static final Duration MAX_WINDOW = Duration.ofDays(7);
    static final String DEFAULT_PATH = "new";
    static final String PROMETHEUS_SOURCE = "prometheus";
    static final int MAX_DEPLOYMENT_WINDOWS = 20;
    static final int MAX_FREEZES = 50;
    /** The wire names of the days of a deployment window, Monday first (as {@link DayOfWeek}). */
    static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
    private static final Pattern LOCAL_TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    private static final String STEP_NAME_RULE =
            "lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters";
    private static final String COMPARISONS = "one of: <, <=, >, >=, = (also ≤, ≥, ==, lt, le, gt, ge, eq)";

    /** Fields each gate kind reads besides kind and description; setting any other is a mistake worth naming. */
    private static final Map<String, List<String>> GATE_FIELDS = Map.of(
            Gate.SOAK, List.of(),
            Gate.SIGN_OFF, List.of("role"),
            Gate.METRIC, List.of("metric", "category", "path", "op", "threshold", "relativeTo", "factor", "offset", "minSamples", "window",
                    "source", "query"),
            Gate.SMOKE, List.of("checks"),
            Gate.CONDITION, List.of("condition"));

    private static final List<String> TRIGGER_ACTIONS =
            Arrays.stream(TriggerAction.values()).map(TriggerAction::wireName).toList();

    private PlanSpecs() {
    }

    /** @param fieldPrefix the path of the plan in the request, e.g. {@code "plan"}; empty for a top-level plan */
    public static Validated<Plan> toPlan(PlanSpec spec, String fieldPrefix) {
        FieldErrors errors = new FieldErrors();
        List<Step> steps = steps(spec.steps(), FieldErrors.field(fieldPrefix, "steps"), errors);
        List<Trigger> triggers = triggers(spec.triggers(), FieldErrors.field(fieldPrefix, "triggers"), errors);
        List<DeploymentWindow> windows = deploymentWindows(spec.deploymentWindows(),
                FieldErrors.field(fieldPrefix, "deploymentWindows"), errors);
        List<Freeze> freezes = freezes(spec.freezes(), FieldErrors.field(fieldPrefix, "freezes"), errors);
        return errors.result(() -> new Plan(steps, triggers, windows, freezes));
    }

    public static PlanSpec fromPlan(Plan plan) {
        return new PlanSpec(
                plan.steps().stream().map(PlanSpecs::stepSpec).toList(),
                plan.triggers().stream().map(PlanSpecs::triggerSpec).toList(),
                plan.deploymentWindows().isEmpty() ? null : plan.deploymentWindows().stream().map(PlanSpecs::windowSpec).toList(),
                plan.freezes().isEmpty() ? null : plan.freezes().stream().map(PlanSpecs::freezeSpec).toList());
    }

    // ---- steps

    private static List<Step> steps(List<StepSpec> specs, String at, FieldErrors errors) {
        if (specs == null || specs.isEmpty()) {
            errors.add(at, "required: at least one step, the last one at 100%");
            return List.of();
        }
        if (specs.size() > MAX_STEPS) {
            errors.add(at, "at most " + MAX_STEPS + " steps (got " + specs.size() + ")");
        }
        List<Step> steps = new ArrayList<>();
        Map<String, Integer> firstIndexByName = new HashMap<>();
        Integer highestPercentage = null;
        for (int i = 0; i < specs.size(); i++) {
            String stepAt = FieldErrors.index(at, i);
            StepSpec spec = specs.get(i);
            if (spec == null) {
                errors.add(stepAt, "must be a step object, not null");
                continue;
            }
            Step step = step(spec, stepAt, errors);
            if (step != null) {
                steps.add(step);
            }
            if (Identifiers.isValidKey(spec.name())) {
                Integer first = firstIndexByName.putIfAbsent(spec.name(), i);
                if (first != null) {
                    errors.add(FieldErrors.field(stepAt, "name"),
                            "step names must be unique: '" + spec.name() + "' is already the name of steps[" + first + "]");
                }
            }
            if (isPercentage(spec.percentage())) {
                if (highestPercentage != null && spec.percentage() < highestPercentage) {
                    errors.add(FieldErrors.field(stepAt, "percentage"), "percentages never decrease: must be at least "
                            + highestPercentage + " like an earlier step (got " + spec.percentage() + ")");
                } else {
                    highestPercentage = spec.percentage();
                }
            }
        }
        int last = specs.size() - 1;
        StepSpec lastSpec = specs.get(last);
        if (lastSpec != null && isPercentage(lastSpec.percentage()) && lastSpec.percentage() != 100) {
            errors.add(FieldErrors.field(FieldErrors.index(at, last), "percentage"),
                    "the last step must be at 100 so the rollout ends with everyone on the new path (got " + lastSpec.percentage() + ")");
        }
        return steps;
    }

    private static Step step(StepSpec spec, String at, FieldErrors errors) {
        int mark = errors.count();
        String name = spec.name();
        if (name == null) {
            errors.add(FieldErrors.field(at, "name"), "required: a name such as 'canary' (" + STEP_NAME_RULE + ")");
        } else if (!Identifiers.isValidKey(name)) {
            errors.add(FieldErrors.field(at, "name"), "must be " + STEP_NAME_RULE + " (got '" + name + "')");
        }
        Integer percentage = spec.percentage();
        if (percentage == null) {
            errors.add(FieldErrors.field(at, "percentage"), "required: the share of sessions on the new path, 0 to 100");
        } else if (!isPercentage(percentage)) {
            errors.add(FieldErrors.field(at, "percentage"), "must be between 0 and 100 (got " + percentage + ")");
        }
        Duration soak = null;
        if (spec.soak() == null) {
            errors.add(FieldErrors.field(at, "soak"), "required: the minimum time in the step, an ISO-8601 duration such as PT4H");
        } else {
            soak = duration(spec.soak(), FieldErrors.field(at, "soak"), true, MAX_SOAK, "30 days (P30D)", errors);
        }
        boolean shadow = Boolean.TRUE.equals(spec.shadow());
        if (shadow && isPercentage(percentage) && percentage != 0) {
            errors.add(FieldErrors.field(at, "shadow"), "a shadow step switches nobody, so it must be at 0% (this step is at "
                    + percentage + "%): set shadow to false or percentage to 0");
        }
        List<Gate> entryGates = gates(spec.entryGates(), FieldErrors.field(at, "entryGates"), errors);
        List<Gate> exitGates = gates(spec.exitGates(), FieldErrors.field(at, "exitGates"), errors);
        if (errors.count() > mark) {
            return null;
        }
        return new Step(name, percentage, soak, shadow, entryGates, exitGates);
    }

    private static boolean isPercentage(Integer percentage) {
        return percentage != null && percentage >= 0 && percentage <= 100;
    }

    // ---- gates

    private static List<Gate> gates(List<GateSpec> specs, String at, FieldErrors errors) {
        if (specs == null) {
            return List.of();
        }
        if (specs.size() > MAX_GATES) {
            errors.add(at, "at most " + MAX_GATES + " gates per list (got " + specs.size() + ")");
        }
        List<Gate> gates = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            GateSpec spec = specs.get(i);
            if (spec == null) {
                errors.add(FieldErrors.index(at, i), "must be a gate object, not null");
                continue;
            }
            Gate gate = gate(spec, FieldErrors.index(at, i), errors);
            if (gate != null) {
                gates.add(gate);
            }
        }
        return gates;
    }

    private static Gate gate(GateSpec spec, String at, FieldErrors errors) {
        int mark = errors.count();
        String description = description(spec.description(), FieldErrors.field(at, "description"), errors);
        String kind = spec.kind();
        if (kind == null || !GATE_FIELDS.containsKey(kind)) {
            errors.add(FieldErrors.field(at, "kind"), (kind == null ? "required" : "unknown gate kind '" + kind + "'")
                    + "; " + FieldErrors.oneOf(Vocabulary.GATE_KINDS));
            return null;
        }
        List<String> readFields = GATE_FIELDS.get(kind);
        for (String set : setFields(spec)) {
            if (!readFields.contains(set)) {
                errors.add(FieldErrors.field(at, set), "not used by a " + kind + " gate; remove it"
                        + (readFields.isEmpty() ? "" : " (a " + kind + " gate takes " + String.join(", ", readFields) + ")"));
            }
        }
        Gate gate = switch (kind) {
            case Gate.SOAK -> new Gate.Soak(description);
            case Gate.SIGN_OFF -> member(spec.role(), Vocabulary.SIGN_OFF_ROLES, "role", FieldErrors.field(at, "role"), errors)
                    ? new Gate.SignOff(spec.role(), description) : null;
            case Gate.METRIC -> {
                MetricCondition condition = condition(ConditionFields.of(spec), at, errors);
                yield condition == null ? null : new Gate.MetricGate(condition, description);
            }
            case Gate.SMOKE -> checks(spec.checks(), FieldErrors.field(at, "checks"), errors)
                    ? new Gate.Smoke(spec.checks(), description) : null;
            case Gate.CONDITION -> member(spec.condition(), Vocabulary.CONDITIONS, "condition",
                    FieldErrors.field(at, "condition"), errors) ? new Gate.Condition(spec.condition(), description) : null;
            default -> throw new IllegalStateException("gate kind checked above: " + kind);
        };
        return errors.count() > mark ? null : gate;
    }

    /** The names of the optional fields the spec sets, in declaration order. */
    private static List<String> setFields(GateSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("role", spec.role());
        values.put("metric", spec.metric());
        values.put("category", spec.category());
        values.put("path", spec.path());
        values.put("op", spec.op());
        values.put("threshold", spec.threshold());
        values.put("relativeTo", spec.relativeTo());
        values.put("factor", spec.factor());
        values.put("offset", spec.offset());
        values.put("minSamples", spec.minSamples());
        values.put("window", spec.window());
        values.put("checks", spec.checks());
        values.put("condition", spec.condition());
        values.put("source", spec.source());
        values.put("query", spec.query());
        return values.entrySet().stream().filter(entry -> entry.getValue() != null).map(Map.Entry::getKey).toList();
    }

    private static boolean checks(List<String> checks, String at, FieldErrors errors) {
        if (checks == null || checks.isEmpty()) {
            errors.add(at, "required: a non-empty list of smoke checks, each " + FieldErrors.oneOf(Vocabulary.SMOKE_CHECKS));
            return false;
        }
        int mark = errors.count();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < checks.size(); i++) {
            String check = checks.get(i);
            if (member(check, Vocabulary.SMOKE_CHECKS, "smoke check", FieldErrors.index(at, i), errors) && !seen.add(check)) {
                errors.add(FieldErrors.index(at, i), "'" + check + "' is listed twice; list each smoke check once");
            }
        }
        return errors.count() == mark;
    }

    // ---- triggers

    private static List<Trigger> triggers(List<TriggerSpec> specs, String at, FieldErrors errors) {
        if (specs == null) {
            return List.of();
        }
        if (specs.size() > MAX_TRIGGERS) {
            errors.add(at, "at most " + MAX_TRIGGERS + " triggers (got " + specs.size() + ")");
        }
        List<Trigger> triggers = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            TriggerSpec spec = specs.get(i);
            if (spec == null) {
                errors.add(FieldErrors.index(at, i), "must be a trigger object, not null");
                continue;
            }
            Trigger trigger = trigger(spec, FieldErrors.index(at, i), errors);
            if (trigger != null) {
                triggers.add(trigger);
            }
        }
        return triggers;
    }

    private static Trigger trigger(TriggerSpec spec, String at, FieldErrors errors) {
        int mark = errors.count();
        String description = description(spec.description(), FieldErrors.field(at, "description"), errors);
        MetricCondition condition = condition(ConditionFields.of(spec), at, errors);
        int consecutive = spec.consecutive() == null ? 1 : spec.consecutive();
        if (consecutive < 1 || consecutive > MAX_CONSECUTIVE) {
            errors.add(FieldErrors.field(at, "consecutive"), "must be between 1 and " + MAX_CONSECUTIVE
                    + " evaluations in a row (got " + consecutive + ")");
        }
        member(spec.action(), TRIGGER_ACTIONS, "action", FieldErrors.field(at, "action"), errors);
        if (errors.count() > mark) {
            return null;
        }
        return new Trigger(condition, consecutive, TriggerAction.fromWireName(spec.action()).orElseThrow(), description);
    }

    // ---- deployment windows and freezes

    private static List<DeploymentWindow> deploymentWindows(List<DeploymentWindowSpec> specs, String at, FieldErrors errors) {
        if (specs == null) {
            return List.of();
        }
        if (specs.size() > MAX_DEPLOYMENT_WINDOWS) {
            errors.add(at, "at most " + MAX_DEPLOYMENT_WINDOWS + " deployment windows (got " + specs.size() + ")");
        }
        List<DeploymentWindow> windows = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            DeploymentWindowSpec spec = specs.get(i);
            String windowAt = FieldErrors.index(at, i);
            if (spec == null) {
                errors.add(windowAt, "must be a window object, not null");
                continue;
            }
            int mark = errors.count();
            Set<DayOfWeek> days = days(spec.days(), FieldErrors.field(windowAt, "days"), errors);
            LocalTime from = localTime(spec.from(), FieldErrors.field(windowAt, "from"), errors);
            LocalTime to = localTime(spec.to(), FieldErrors.field(windowAt, "to"), errors);
            ZoneId zone = zone(spec.zone(), FieldErrors.field(windowAt, "zone"), errors);
            if (from != null && from.equals(to)) {
                errors.add(FieldErrors.field(windowAt, "to"), "must differ from from (" + spec.from()
                        + "); a window from 22:00 to 02:00 spans midnight");
            }
            if (errors.count() == mark) {
                windows.add(new DeploymentWindow(days, from, to, zone));
            }
        }
        return windows;
    }

    private static Set<DayOfWeek> days(List<String> days, String at, FieldErrors errors) {
        if (days == null || days.isEmpty()) {
            errors.add(at, "required: the days the window opens, each " + FieldErrors.oneOf(DAYS));
            return Set.of();
        }
        Set<DayOfWeek> result = EnumSet.noneOf(DayOfWeek.class);
        for (int i = 0; i < days.size(); i++) {
            String day = days.get(i);
            if (member(day, DAYS, "day", FieldErrors.index(at, i), errors) && !result.add(DayOfWeek.of(DAYS.indexOf(day) + 1))) {
                errors.add(FieldErrors.index(at, i), "'" + day + "' is listed twice; list each day once");
            }
        }
        return result;
    }

    private static LocalTime localTime(String text, String at, FieldErrors errors) {
        if (text == null || !LOCAL_TIME.matcher(text).matches()) {
            errors.add(at, "required: a local time HH:mm from 00:00 to 23:59 (got " + (text == null ? "nothing" : "'" + text + "'") + ")");
            return null;
        }
        return LocalTime.parse(text);
    }

    private static ZoneId zone(String text, String at, FieldErrors errors) {
        if (text == null) {
            errors.add(at, "required: an IANA time zone such as Europe/Berlin or UTC");
            return null;
        }
        if (!ZoneId.getAvailableZoneIds().contains(text) && !"UTC".equals(text)) {
            errors.add(at, "unknown zone '" + text + "'; an IANA time zone such as Europe/Berlin or UTC");
            return null;
        }
        return ZoneId.of(text);
    }

    /** Service-wide freezes come from configuration, plan freezes from here: both are checked the same way. */
    public static Validated<List<Freeze>> freezes(List<FreezeSpec> specs, String at) {
        FieldErrors errors = new FieldErrors();
        List<Freeze> freezes = freezes(specs, at, errors);
        return errors.result(() -> freezes);
    }

    private static List<Freeze> freezes(List<FreezeSpec> specs, String at, FieldErrors errors) {
        if (specs == null) {
            return List.of();
        }
        if (specs.size() > MAX_FREEZES) {
            errors.add(at, "at most " + MAX_FREEZES + " freezes (got " + specs.size() + ")");
        }
        List<Freeze> freezes = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            FreezeSpec spec = specs.get(i);
            String freezeAt = FieldErrors.index(at, i);
            if (spec == null) {
                errors.add(freezeAt, "must be a freeze object, not null");
                continue;
            }
            int mark = errors.count();
            Instant from = instant(spec.from(), FieldErrors.field(freezeAt, "from"), errors);
            Instant to = instant(spec.to(), FieldErrors.field(freezeAt, "to"), errors);
            if (from != null && to != null && !to.isAfter(from)) {
                errors.add(FieldErrors.field(freezeAt, "to"), "must be after from (" + spec.from() + ")");
            }
            String reasonAt = FieldErrors.field(freezeAt, "reason");
            if (spec.reason() == null || spec.reason().isBlank()) {
                errors.add(reasonAt, "required: say why, e.g. 'year-end freeze'; people are told it when a rollout is held");
            } else {
                description(spec.reason(), reasonAt, errors);
                FreeText.problem(spec.reason(), false).ifPresent(problem -> errors.add(reasonAt, problem));
            }
            if (errors.count() == mark) {
                freezes.add(new Freeze(from, to, spec.reason()));
            }
        }
        return freezes;
    }

    private static Instant instant(String text, String at, FieldErrors errors) {
        if (text == null) {
            errors.add(at, "required: an ISO-8601 instant with an offset, e.g. 2026-12-21T00:00:00Z");
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(at, "must be an ISO-8601 instant with an offset, e.g. 2026-12-21T00:00:00Z (got '" + text + "')");
            return null;
        }
    }

    // ---- metric conditions, shared by metric gates and triggers

    private record ConditionFields(
            String metric, String category, String path, String op, Double threshold, String relativeTo,
            Double factor, Double offset, Long minSamples, String window, String source, String query) {

        static ConditionFields of(GateSpec g) {
            return new ConditionFields(g.metric(), g.category(), g.path(), g.op(), g.threshold(), g.relativeTo(),
                    g.factor(), g.offset(), g.minSamples(), g.window(), g.source(), g.query());
        }

        static ConditionFields of(TriggerSpec t) {
            return new ConditionFields(t.metric(), t.category(), t.path(), t.op(), t.threshold(), t.relativeTo(),
                    t.factor(), t.offset(), t.minSamples(), t.window(), t.source(), t.query());
        }
    }

    private static MetricCondition condition(ConditionFields spec, String at, FieldErrors errors) {
        int mark = errors.count();
        boolean prometheus = PROMETHEUS_SOURCE.equals(spec.source());
        if (spec.source() != null) {
            member(spec.source(), Vocabulary.SOURCES, "source", FieldErrors.field(at, "source"), errors);
        }
        String metric = spec.metric();
        if (prometheus) {
            prometheusFields(spec, at, errors);
            metric = MetricCondition.PROMETHEUS;
        } else {
            if (spec.query() != null) {
                errors.add(FieldErrors.field(at, "query"), "only a condition with \"source\": \"prometheus\" runs a query; remove it");
            }
            boolean knownMetric = member(spec.metric(), Vocabulary.METRICS, "metric", FieldErrors.field(at, "metric"), errors);
            if (knownMetric && spec.metric().equals(Vocabulary.SHADOW_MISMATCH_RATE)) {
                member(spec.category(), Vocabulary.SHADOW_CATEGORIES, "category", FieldErrors.field(at, "category"), errors);
            } else if (knownMetric && spec.category() != null) {
                errors.add(FieldErrors.field(at, "category"), "only " + Vocabulary.SHADOW_MISMATCH_RATE + " has categories; remove it");
            }
        }
        String path = spec.path() == null ? DEFAULT_PATH : spec.path();
        member(path, Vocabulary.PATHS, "path", FieldErrors.field(at, "path"), errors);
        Comparison op = null;
        if (spec.op() == null) {
            errors.add(FieldErrors.field(at, "op"), "required; " + COMPARISONS);
        } else {
            op = Comparison.parse(spec.op()).orElse(null);
            if (op == null) {
                errors.add(FieldErrors.field(at, "op"), "unknown comparison '" + spec.op() + "'; " + COMPARISONS);
            }
        }
        if (spec.threshold() == null && spec.relativeTo() == null) {
            errors.add(FieldErrors.field(at, "threshold"), "set either threshold (an absolute limit) or relativeTo ("
                    + String.join(" or ", Vocabulary.RELATIVE_TO) + ")");
        } else if (spec.threshold() != null && spec.relativeTo() != null) {
            errors.add(FieldErrors.field(at, "relativeTo"), "set either threshold or relativeTo, not both");
        } else if (spec.threshold() != null) {
            finite(spec.threshold(), FieldErrors.field(at, "threshold"), errors);
        } else {
            member(spec.relativeTo(), Vocabulary.RELATIVE_TO, "relativeTo", FieldErrors.field(at, "relativeTo"), errors);
        }
        double factor = spec.factor() == null ? 1 : spec.factor();
        if (!(factor > 0) || Double.isInfinite(factor)) {
            errors.add(FieldErrors.field(at, "factor"), "must be a number greater than 0 (got " + factor + ")");
        }
        double offset = spec.offset() == null ? 0 : spec.offset();
        finite(offset, FieldErrors.field(at, "offset"), errors);
        long minSamples = spec.minSamples() == null ? 0 : spec.minSamples();
        if (minSamples < 0) {
            errors.add(FieldErrors.field(at, "minSamples"), "must be 0 or more (got " + minSamples + ")");
        }
        Duration window = spec.window() == null
                ? null
                : duration(spec.window(), FieldErrors.field(at, "window"), false, MAX_WINDOW, "7 days (P7D)", errors);
        if (errors.count() > mark) {
            return null;
        }
        return new MetricCondition(metric, spec.category(), path, op, spec.threshold(), spec.relativeTo(),
                factor, offset, minSamples, window, prometheus ? spec.query() : null);
    }

    /** A Prometheus condition: a query that parses, an absolute threshold, and none of the report-only fields. */
    private static void prometheusFields(ConditionFields spec, String at, FieldErrors errors) {
        PromQlSyntax.check(spec.query()).ifPresent(problem -> errors.add(FieldErrors.field(at, "query"), problem));
        if (spec.metric() != null) {
            errors.add(FieldErrors.field(at, "metric"), "the query says what is measured; remove metric");
        }
        if (spec.category() != null) {
            errors.add(FieldErrors.field(at, "category"), "only " + Vocabulary.SHADOW_MISMATCH_RATE + " has categories; remove it");
        }
        if (spec.relativeTo() != null) {
            errors.add(FieldErrors.field(at, "relativeTo"), "a query's value is compared with an absolute threshold; remove relativeTo");
        }
        if (spec.minSamples() != null) {
            errors.add(FieldErrors.field(at, "minSamples"), "a query answers with one sample; remove minSamples");
        }
    }

    // ---- shared field rules

    /** Records an error naming the allowed values unless {@code value} is one of them. */
    private static boolean member(String value, List<String> allowed, String what, String at, FieldErrors errors) {
        if (value == null) {
            errors.add(at, "required; " + FieldErrors.oneOf(allowed));
            return false;
        }
        if (!allowed.contains(value)) {
            errors.add(at, "unknown " + what + " '" + value + "'; " + FieldErrors.oneOf(allowed));
            return false;
        }
        return true;
    }

    private static void finite(double value, String at, FieldErrors errors) {
        if (!Double.isFinite(value)) {
            errors.add(at, "must be a finite number (got " + value + ")");
        }
    }

    private static String description(String description, String at, FieldErrors errors) {
        if (description == null) {
            return "";
        }
        int length = description.codePointCount(0, description.length());
        if (length > MAX_DESCRIPTION) {
            errors.add(at, "at most " + MAX_DESCRIPTION + " characters (got " + length + ")");
        }
        return description;
    }

    private static Duration duration(String text, String at, boolean zeroAllowed, Duration max, String maxText, FieldErrors errors) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(at, "must be an ISO-8601 duration such as PT4H, PT30M or P1D (got '" + text + "')");
            return null;
        }
        if (duration.isNegative() || (!zeroAllowed && duration.isZero()) || duration.compareTo(max) > 0) {
            errors.add(at, "must be " + (zeroAllowed ? "from PT0S" : "longer than zero and") + " up to " + maxText
                    + " (got " + text + ")");
            return null;
        }
        return duration;
    }

    // ---- back to the wire form

    private static DeploymentWindowSpec windowSpec(DeploymentWindow window) {
        return new DeploymentWindowSpec(
                window.days().stream().sorted().map(day -> DAYS.get(day.getValue() - 1)).toList(),
                window.from().toString(), window.to().toString(), window.zone().getId());
    }

    private static FreezeSpec freezeSpec(Freeze freeze) {
        return new FreezeSpec(freeze.from().toString(), freeze.to().toString(), freeze.reason());
    }

    private static StepSpec stepSpec(Step step) {
        return new StepSpec(step.name(), step.percentage(), step.soak().toString(), step.shadow(),
                step.entryGates().stream().map(PlanSpecs::gateSpec).toList(),
                step.exitGates().stream().map(PlanSpecs::gateSpec).toList());
    }

    private static GateSpec gateSpec(Gate gate) {
        if (gate instanceof Gate.MetricGate metric) {
            MetricCondition c = metric.condition();
            return new GateSpec(gate.kind(), gate.description(), null, metricText(c), c.category(), c.path(), c.op().symbol(),
                    c.threshold(), c.relativeTo(), c.factor(), c.offset(), minSamplesText(c), windowText(c), null, null,
                    sourceText(c), c.query());
        }
        String role = gate instanceof Gate.SignOff signOff ? signOff.role() : null;
        List<String> checks = gate instanceof Gate.Smoke smoke ? smoke.checks() : null;
        String condition = gate instanceof Gate.Condition named ? named.condition() : null;
        return new GateSpec(gate.kind(), gate.description(), role, null, null, null, null, null, null, null, null, null, null,
                checks, condition);
    }

    private static TriggerSpec triggerSpec(Trigger trigger) {
        MetricCondition c = trigger.condition();
        return new TriggerSpec(metricText(c), c.category(), c.path(), c.op().symbol(), c.threshold(), c.relativeTo(),
                c.factor(), c.offset(), minSamplesText(c), trigger.consecutive(), windowText(c), trigger.action().wireName(),
                trigger.description(), sourceText(c), c.query());
    }

    /** A Prometheus condition has no metric on the wire; its source says where the figure comes from. */
    private static String metricText(MetricCondition condition) {
        return condition.query() == null ? condition.metric() : null;
    }

    private static Long minSamplesText(MetricCondition condition) {
        return condition.query() == null ? condition.minSamples() : null;
    }

    private static String sourceText(MetricCondition condition) {
        return condition.query() == null ? null : PROMETHEUS_SOURCE;
    }

    private static String windowText(MetricCondition condition) {
        return condition.window() == null ? null : condition.window().toString();
    }
}
