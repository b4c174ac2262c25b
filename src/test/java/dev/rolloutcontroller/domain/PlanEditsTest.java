package dev.rolloutcontroller.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What may change in a running plan, and the diff an edit records. */
class PlanEditsTest {

    private static final Instant AT = Instant.parse("2026-12-01T08:00:00Z");

    private static Rollout at(RolloutStatus status, int stepIndex) {
        return new Rollout("r", "", status, stepIndex, Plan.checklist(false), List.of("s1"), true, 3, AT, AT, AT,
                EnvMapping.DEFAULT, null);
    }

    private static Plan withStep(int index, Step step) {
        List<Step> steps = new ArrayList<>(Plan.checklist(false).steps());
        steps.set(index, step);
        return new Plan(steps, Plan.checklist(false).triggers());
    }

    private static Step step(int index) {
        return Plan.checklist(false).steps().get(index);
    }

    @ParameterizedTest(name = "{0} at step {1}, {2} of step {3} → {4}")
    @CsvSource(nullValues = "-", value = {
            "ACTIVE,      1, soak,       0, plan.steps[0].soak",
            "ACTIVE,      1, percentage, 0, plan.steps[0].percentage",
            "ACTIVE,      1, gates,      0, plan.steps[0].exitGates",
            "ACTIVE,      1, percentage, 1, plan.steps[1].percentage",
            "ACTIVE,      1, name,       1, plan.steps[1].name",
            "PAUSED,      1, shadow,     1, plan.steps[1].shadow",
            "COMPLETED,   2, soak,       1, plan.steps[1].soak",
            "ACTIVE,      1, soak,       1, -",
            "ACTIVE,      1, gates,      1, -",
            "ACTIVE,      1, percentage, 2, -",
            "ACTIVE,      0, percentage, 1, -",
            "DRAFT,       0, percentage, 0, -",
            "ROLLED_BACK, 2, soak,       0, -"})
    void shouldRefuseOnlyChangesToLeftStepsAndTheCurrentStepsPlace(RolloutStatus status, int current, String what, int index,
                                                                   String refusedField) {
        Step was = step(index);
        Step changed = switch (what) {
            case "soak" -> new Step(was.name(), was.percentage(), was.soak().plusHours(1), was.shadow(), was.entryGates(), was.exitGates());
            case "percentage" -> new Step(was.name(), was.percentage() + 5, was.soak(), was.shadow(), was.entryGates(), was.exitGates());
            case "name" -> new Step(was.name() + "-2", was.percentage(), was.soak(), was.shadow(), was.entryGates(), was.exitGates());
            case "shadow" -> new Step(was.name(), was.percentage(), was.soak(), !was.shadow(), was.entryGates(), was.exitGates());
            default -> new Step(was.name(), was.percentage(), was.soak(), was.shadow(), was.entryGates(), List.of());
        };
        List<String> fields = PlanEdits.violations(at(status, current), withStep(index, changed), "plan").stream()
                .map(FieldError::field).toList();
        assertEquals(refusedField == null ? List.of() : List.of(refusedField), fields);
    }

    @Test
    void shouldRefuseAPlanThatDropsTheCurrentStep() {
        Plan oneStep = new Plan(List.of(new Step("full", 100, Duration.ofHours(1), false, List.of(), List.of())), List.of());
        assertEquals(List.of("plan.steps"),
                PlanEdits.violations(at(RolloutStatus.ACTIVE, 1), oneStep, "plan").stream().map(FieldError::field).toList());
    }

    @Test
    void shouldListEachChangedPathWithItsValuesBeforeAndAfter() {
        PlanSpec before = PlanSpecs.fromPlan(Plan.checklist(false));
        List<TriggerSpec> triggers = new ArrayList<>(before.triggers());
        TriggerSpec first = triggers.get(0);
        triggers.set(0, new TriggerSpec(first.metric(), first.category(), first.path(), first.op(), 0.04, first.relativeTo(),
                first.factor(), first.offset(), first.minSamples(), 3, first.window(), first.action(), first.description()));
        triggers.remove(4);
        PlanSpec after = new PlanSpec(before.steps(), triggers);

        List<PlanEdits.Change> changes = PlanEdits.diff(before, after, "plan");

        assertEquals(List.of("plan.triggers[0].threshold", "plan.triggers[0].consecutive", "plan.triggers[4]"),
                changes.stream().map(PlanEdits.Change::path).toList());
        assertEquals(0.05, changes.get(0).before());
        assertEquals(0.04, changes.get(0).after());
        assertEquals(1, changes.get(1).before());
        assertEquals(3, changes.get(1).after());
        assertEquals(null, changes.get(2).after());
        Map<String, Object> removed = PlanEdits.describe(changes).get(2);
        assertEquals("support_tickets", ((Map<?, ?>) removed.get("before")).get("metric"));
    }

    @Test
    void shouldFindNoChangeBetweenEqualPlansAndCompareNumbersByValue() {
        PlanSpec plan = PlanSpecs.fromPlan(Plan.checklist(true));
        assertEquals(List.of(), PlanEdits.diff(plan, PlanSpecs.fromPlan(Plan.checklist(true)), "plan"));
        assertEquals(List.of(), PlanEdits.diff(Map.of("threshold", 1), Map.of("threshold", 1.0), "plan"));
    }
}
