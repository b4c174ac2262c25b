package dev.rolloutcontroller.domain;

import static dev.rolloutcontroller.domain.Fixtures.errorFields;
import static dev.rolloutcontroller.domain.Fixtures.errors;
import static dev.rolloutcontroller.domain.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlanSpecsTest {

    private static final GateSpec CONDITION = new GateSpec("condition", "Canary user list identified", null, null, null, null,
            null, null, null, null, null, null, null, null, "canary-list-not-empty");
    private static final GateSpec SIGN_OFF = new GateSpec("sign-off", "Enhanced monitoring enabled", "devops", null, null, null,
            null, null, null, null, null, null, null, null, null);
    private static final GateSpec SOAK = new GateSpec("soak", "Validation (4 hours)", null, null, null, null,
            null, null, null, null, null, null, null, null, null);
    private static final GateSpec ERROR_RATE = new GateSpec("metric", "Error rates < 0.1%", null, "error_rate", null, "new",
            "<", 0.001, null, 1.0, 0.0, 1000L, "PT1H", null, null);
    private static final GateSpec SMOKE = new GateSpec("smoke", "Run these tests after each phase", null, null, null, null,
            null, null, null, null, null, null, null, List.of("agent-discovery", "pm-recovery"), null);
    private static final GateSpec MISMATCH = new GateSpec("metric", "Idle detection consistency verified", null,
            "shadow_mismatch_rate", "idle", "new", "<=", 0.05, null, 1.0, 0.0, 1000L, null, null, null);
    private static final GateSpec RELATIVE = new GateSpec("metric", "Performance within 10% of baseline", null,
            "cycle_time_p95_ms", null, "legacy", "<=", null, "baseline", 1.1, 0.5, 1000L, "PT1H", null, null);
    private static final TriggerSpec TRIGGER = new TriggerSpec("error_rate", null, "new", ">", 0.05, null, 1.0, 0.0, 1000L,
            2, "PT10M", "rollback", "Error rate > 5%");

    /**
     * A valid plan in normal form, with a gate of every kind. Entry gates of step 0: 0 condition,
     * 1 sign-off. Exit gates of step 0: 0 soak, 1 absolute metric, 2 smoke, 3 shadow mismatch, 4 relative metric.
     */
    private static final PlanSpec VALID = new PlanSpec(
            List.of(
                    new StepSpec("canary", 10, "PT4H", false, List.of(CONDITION, SIGN_OFF), List.of(SOAK, ERROR_RATE, SMOKE, MISMATCH, RELATIVE)),
                    new StepSpec("full", 100, "PT24H", false, List.of(), List.of())),
            List.of(TRIGGER));

    private static Plan valid(Validated<Plan> result) {
        if (result instanceof Validated.Valid<Plan> valid) {
            return valid.value();
        }
        throw new AssertionError("expected a valid plan, got " + result);
    }

    private static PlanSpec steps(StepSpec... steps) {
        return new PlanSpec(Arrays.asList(steps), VALID.triggers());
    }

    private static PlanSpec step(int index, String component, Object value) {
        List<StepSpec> steps = new ArrayList<>(VALID.steps());
        steps.set(index, with(steps.get(index), component, value));
        return new PlanSpec(steps, VALID.triggers());
    }

    private static PlanSpec entryGate(int index, String component, Object value) {
        return gates("entryGates", gates -> {
            gates.set(index, with(gates.get(index), component, value));
            return gates;
        });
    }

    private static PlanSpec exitGate(int index, String component, Object value) {
        return gates("exitGates", gates -> {
            gates.set(index, with(gates.get(index), component, value));
            return gates;
        });
    }

    private static PlanSpec gates(String list, UnaryOperator<List<GateSpec>> change) {
        StepSpec first = VALID.steps().get(0);
        List<GateSpec> gates = new ArrayList<>(list.equals("entryGates") ? first.entryGates() : first.exitGates());
        return step(0, list, change.apply(gates));
    }

    private static PlanSpec trigger(String component, Object value) {
        return new PlanSpec(VALID.steps(), List.of(with(TRIGGER, component, value)));
    }

    private static StepSpec plainStep(String name, int percentage) {
        return new StepSpec(name, percentage, "PT1H", null, null, null);
    }

    private static Arguments rule(String rule, PlanSpec spec, String field, String messageFragment) {
        return Arguments.of(rule, spec, field, messageFragment);
    }

    static Stream<Arguments> oneViolationPerRule() {
        String tooLong = "x".repeat(501);
        return Stream.of(
                rule("steps required", new PlanSpec(null, null), "plan.steps", "at least one step"),
                rule("steps not empty", new PlanSpec(List.of(), null), "plan.steps", "at least one step"),
                rule("at most 20 steps", steps(IntStream.range(0, 21).mapToObj(i -> plainStep("s" + i, 100)).toArray(StepSpec[]::new)),
                        "plan.steps", "at most 20 steps (got 21)"),
                rule("no null step", steps(plainStep("a", 0), null, plainStep("b", 100)), "plan.steps[1]", "not null"),
                rule("step name required", step(0, "name", null), "plan.steps[0].name", "required"),
                rule("step name is a slug", step(0, "name", "Canary"), "plan.steps[0].name", "lowercase letters"),
                rule("step name at most 63", step(0, "name", "c".repeat(64)), "plan.steps[0].name", "at most 63"),
                rule("step names unique", step(1, "name", "canary"), "plan.steps[1].name", "already the name of steps[0]"),
                rule("percentage required", step(0, "percentage", null), "plan.steps[0].percentage", "required"),
                rule("percentage at least 0", step(0, "percentage", -1), "plan.steps[0].percentage", "between 0 and 100 (got -1)"),
                rule("percentage at most 100", step(1, "percentage", 101), "plan.steps[1].percentage", "between 0 and 100 (got 101)"),
                rule("percentages never decrease", steps(plainStep("a", 50), plainStep("b", 10), plainStep("c", 100)),
                        "plan.steps[1].percentage", "at least 50"),
                rule("last step at 100", step(1, "percentage", 90), "plan.steps[1].percentage", "last step must be at 100"),
                rule("soak required", step(0, "soak", null), "plan.steps[0].soak", "required"),
                rule("soak is ISO-8601", step(0, "soak", "4 hours"), "plan.steps[0].soak", "ISO-8601"),
                rule("soak not negative", step(0, "soak", "-PT1H"), "plan.steps[0].soak", "from PT0S up to 30 days"),
                rule("soak at most 30 days", step(0, "soak", "P31D"), "plan.steps[0].soak", "up to 30 days"),
                rule("shadow step at 0%", step(0, "shadow", true), "plan.steps[0].shadow", "must be at 0%"),
                rule("at most 50 entry gates", step(0, "entryGates", Collections.nCopies(51, SOAK)), "plan.steps[0].entryGates", "at most 50"),
                rule("at most 50 exit gates", step(0, "exitGates", Collections.nCopies(51, SOAK)), "plan.steps[0].exitGates", "at most 50"),
                rule("no null gate", gates("exitGates", gates -> {
                    gates.set(2, null);
                    return gates;
                }), "plan.steps[0].exitGates[2]", "not null"),
                rule("gate description at most 500", exitGate(0, "description", tooLong), "plan.steps[0].exitGates[0].description",
                        "at most 500 characters (got 501)"),
                rule("gate kind required", entryGate(0, "kind", null), "plan.steps[0].entryGates[0].kind",
                        "required; one of: soak, sign-off, metric, smoke, condition"),
                rule("gate kind known", entryGate(0, "kind", "approval"), "plan.steps[0].entryGates[0].kind", "unknown gate kind 'approval'"),
                rule("role required", entryGate(1, "role", null), "plan.steps[0].entryGates[1].role", "required; one of: qa-lead"),
                rule("role known", entryGate(1, "role", "ceo"), "plan.steps[0].entryGates[1].role",
                        "unknown role 'ceo'; one of: qa-lead, tech-lead, devops, product, security"),
                rule("metric required", exitGate(1, "metric", null), "plan.steps[0].exitGates[1].metric", "required; one of: error_rate"),
                rule("metric known", exitGate(1, "metric", "latency"), "plan.steps[0].exitGates[1].metric", "unknown metric 'latency'"),
                rule("category required for mismatch rate", exitGate(3, "category", null), "plan.steps[0].exitGates[3].category",
                        "required; one of: discovery, idle, notification"),
                rule("category known", exitGate(3, "category", "cpu"), "plan.steps[0].exitGates[3].category", "unknown category 'cpu'"),
                rule("category only for mismatch rate", exitGate(1, "category", "idle"), "plan.steps[0].exitGates[1].category",
                        "only shadow_mismatch_rate"),
                rule("path known", exitGate(1, "path", "old"), "plan.steps[0].exitGates[1].path", "unknown path 'old'; one of: new, legacy"),
                rule("op required", exitGate(1, "op", null), "plan.steps[0].exitGates[1].op", "required"),
                rule("op known", exitGate(1, "op", "≠"), "plan.steps[0].exitGates[1].op", "unknown comparison '≠'"),
                rule("threshold or relativeTo", exitGate(1, "threshold", null), "plan.steps[0].exitGates[1].threshold",
                        "either threshold (an absolute limit) or relativeTo (baseline or legacy)"),
                rule("not both threshold and relativeTo", exitGate(1, "relativeTo", "baseline"),
                        "plan.steps[0].exitGates[1].relativeTo", "not both"),
                rule("relativeTo known", exitGate(4, "relativeTo", "yesterday"), "plan.steps[0].exitGates[4].relativeTo",
                        "unknown relativeTo 'yesterday'"),
                rule("threshold finite", exitGate(1, "threshold", Double.NaN), "plan.steps[0].exitGates[1].threshold", "finite"),
                rule("factor above 0", exitGate(4, "factor", 0.0), "plan.steps[0].exitGates[4].factor", "greater than 0"),
                rule("factor not negative", exitGate(4, "factor", -1.1), "plan.steps[0].exitGates[4].factor", "greater than 0"),
                rule("factor finite", exitGate(4, "factor", Double.POSITIVE_INFINITY), "plan.steps[0].exitGates[4].factor", "greater than 0"),
                rule("offset finite", exitGate(4, "offset", Double.NEGATIVE_INFINITY), "plan.steps[0].exitGates[4].offset", "finite"),
                rule("minSamples not negative", exitGate(1, "minSamples", -1L), "plan.steps[0].exitGates[1].minSamples", "0 or more"),
                rule("window is ISO-8601", exitGate(1, "window", "1h"), "plan.steps[0].exitGates[1].window", "ISO-8601"),
                rule("window above zero", exitGate(1, "window", "PT0S"), "plan.steps[0].exitGates[1].window", "longer than zero"),
                rule("window at most 7 days", exitGate(1, "window", "P8D"), "plan.steps[0].exitGates[1].window", "up to 7 days"),
                rule("smoke checks required", exitGate(2, "checks", null), "plan.steps[0].exitGates[2].checks", "non-empty list"),
                rule("smoke checks not empty", exitGate(2, "checks", List.of()), "plan.steps[0].exitGates[2].checks", "non-empty list"),
                rule("smoke check known", exitGate(2, "checks", List.of("agent-discovery", "load-test")),
                        "plan.steps[0].exitGates[2].checks[1]", "unknown smoke check 'load-test'; one of: agent-discovery"),
                rule("smoke check once", exitGate(2, "checks", List.of("pm-recovery", "pm-recovery")),
                        "plan.steps[0].exitGates[2].checks[1]", "listed twice"),
                rule("condition required", entryGate(0, "condition", null), "plan.steps[0].entryGates[0].condition", "required"),
                rule("condition known", entryGate(0, "condition", "moon-is-full"), "plan.steps[0].entryGates[0].condition",
                        "one of: canary-list-not-empty"),
                rule("only the kind's fields", exitGate(0, "role", "qa-lead"), "plan.steps[0].exitGates[0].role", "not used by a soak gate"),
                rule("no checks on a metric gate", exitGate(1, "checks", List.of("pm-recovery")), "plan.steps[0].exitGates[1].checks",
                        "not used by a metric gate; remove it (a metric gate takes metric, category"),
                rule("no metric on a sign-off", entryGate(1, "metric", "error_rate"), "plan.steps[0].entryGates[1].metric",
                        "a sign-off gate takes role"),
                rule("at most 50 triggers", new PlanSpec(VALID.steps(), Collections.nCopies(51, TRIGGER)), "plan.triggers", "at most 50"),
                rule("no null trigger", new PlanSpec(VALID.steps(), Arrays.asList(TRIGGER, null)), "plan.triggers[1]", "not null"),
                rule("trigger description at most 500", trigger("description", tooLong), "plan.triggers[0].description", "at most 500"),
                rule("consecutive at least 1", trigger("consecutive", 0), "plan.triggers[0].consecutive", "between 1 and 100"),
                rule("consecutive at most 100", trigger("consecutive", 101), "plan.triggers[0].consecutive", "between 1 and 100"),
                rule("action required", trigger("action", null), "plan.triggers[0].action", "required; one of: rollback, step-back, pause"),
                rule("action known", trigger("action", "explode"), "plan.triggers[0].action", "unknown action 'explode'"),
                rule("trigger metric known", trigger("metric", "vibes"), "plan.triggers[0].metric", "unknown metric 'vibes'"),
                rule("trigger op known", trigger("op", "gte"), "plan.triggers[0].op", "unknown comparison 'gte'"),
                rule("trigger threshold or relativeTo", trigger("threshold", null), "plan.triggers[0].threshold", "either threshold"),
                rule("trigger window at most 7 days", trigger("window", "P7DT1S"), "plan.triggers[0].window", "up to 7 days"),
                rule("trigger category only for mismatch rate", trigger("category", "idle"), "plan.triggers[0].category",
                        "only shadow_mismatch_rate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneViolationPerRule")
    void shouldRejectEachRuleAtItsField(String rule, PlanSpec spec, String field, String messageFragment) {
        List<FieldError> errors = errors(PlanSpecs.toPlan(spec, "plan"));

        assertEquals(List.of(field), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.get(0).message().contains(messageFragment), errors.get(0).message());
    }

    @Test
    void shouldAcceptTheValidSpecAndRoundTripItExactly() {
        Plan plan = valid(PlanSpecs.toPlan(VALID, "plan"));

        assertEquals(VALID, PlanSpecs.fromPlan(plan));
    }

    @Test
    void shouldCollectEveryErrorAtOnce() {
        PlanSpec spec = new PlanSpec(
                List.of(
                        new StepSpec("Bad Name", 50, "soon", true, null, List.of(with(ERROR_RATE, "op", "?"))),
                        new StepSpec("b", 20, "PT1H", null, null, null)),
                List.of(with(TRIGGER, "action", "nuke")));

        assertEquals(List.of(
                "plan.steps[0].name",
                "plan.steps[0].soak",
                "plan.steps[0].shadow",
                "plan.steps[0].exitGates[0].op",
                "plan.steps[1].percentage",
                "plan.steps[1].percentage",
                "plan.triggers[0].action"), errorFields(PlanSpecs.toPlan(spec, "plan")));
    }

    @ParameterizedTest(name = "prefix [{0}] -> {1}")
    @CsvSource({
            "'',               steps[0].soak",
            "plan,             plan.steps[0].soak",
            "rollouts[3].plan, rollouts[3].plan.steps[0].soak",
    })
    void shouldPrefixEveryFieldPath(String prefix, String field) {
        assertEquals(List.of(field), errorFields(PlanSpecs.toPlan(step(0, "soak", "never"), prefix)));
    }

    @Test
    void shouldFillInDefaultsAndNormaliseSpellings() {
        GateSpec sparse = new GateSpec("metric", null, null, "error_rate", null, null, "≤", 0.001, null, null, null, null,
                "PT60M", null, null);
        TriggerSpec sparseTrigger = new TriggerSpec("memory_bytes", null, null, "gt", 2e9, null, null, null, null, null, null,
                "pause", null);
        PlanSpec spec = new PlanSpec(List.of(new StepSpec("all", 100, "P1D", null, null, List.of(sparse))), List.of(sparseTrigger));

        PlanSpec normal = PlanSpecs.fromPlan(valid(PlanSpecs.toPlan(spec, "plan")));

        PlanSpec expected = new PlanSpec(
                List.of(new StepSpec("all", 100, "PT24H", false, List.of(), List.of(new GateSpec("metric", "", null, "error_rate",
                        null, "new", "<=", 0.001, null, 1.0, 0.0, 0L, "PT1H", null, null)))),
                List.of(new TriggerSpec("memory_bytes", null, "new", ">", 2e9, null, 1.0, 0.0, 0L, 1, null, "pause", "")));
        assertEquals(expected, normal);
        assertEquals(normal, PlanSpecs.fromPlan(valid(PlanSpecs.toPlan(normal, "plan"))));
    }

    @Test
    void shouldBuildTheDomainValues() {
        Plan plan = valid(PlanSpecs.toPlan(VALID, "plan"));

        Step canary = plan.steps().get(0);
        assertEquals(Duration.ofHours(4), canary.soak());
        assertEquals(new Gate.Condition("canary-list-not-empty", "Canary user list identified"), canary.entryGates().get(0));
        assertEquals(new Gate.SignOff("devops", "Enhanced monitoring enabled"), canary.entryGates().get(1));
        assertEquals(new Gate.Soak("Validation (4 hours)"), canary.exitGates().get(0));
        assertEquals(new Gate.MetricGate(new MetricCondition("cycle_time_p95_ms", null, "legacy", Comparison.LE, null, "baseline",
                1.1, 0.5, 1000, Duration.ofHours(1)), "Performance within 10% of baseline"), canary.exitGates().get(4));
        assertEquals(new Gate.Smoke(List.of("agent-discovery", "pm-recovery"), "Run these tests after each phase"), canary.exitGates().get(2));
        assertEquals(new Trigger(new MetricCondition("error_rate", null, "new", Comparison.GT, 0.05, null, 1, 0, 1000,
                Duration.ofMinutes(10)), 2, TriggerAction.ROLLBACK, "Error rate > 5%"), plan.triggers().get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "P30D", "PT720H"})
    void shouldAcceptASoakAtTheLimits(String soak) {
        assertInstanceOf(Validated.Valid.class, PlanSpecs.toPlan(step(0, "soak", soak), "plan"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldRoundTripTheChecklist(boolean shadowStep) {
        Plan checklist = Plan.checklist(shadowStep);

        Validated<Plan> result = PlanSpecs.toPlan(PlanSpecs.fromPlan(checklist), "plan");

        assertEquals(new Validated.Valid<>(checklist), result);
    }
}
