package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlanChecklistTest {

    @ParameterizedTest(name = "shadow step {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "true  | shadow 0% PT24H shadow, canary 10% PT4H, gradual 50% PT8H, full 100% PT24H",
            "false | canary 10% PT4H, gradual 50% PT8H, full 100% PT24H",
    })
    void shouldFollowTheChecklistsPhases(boolean shadowStep, String expected) {
        String steps = Plan.checklist(shadowStep).steps().stream()
                .map(s -> s.name() + " " + s.percentage() + "% " + s.soak() + (s.shadow() ? " shadow" : ""))
                .reduce((a, b) -> a + ", " + b).orElseThrow();

        assertEquals(expected, steps);
    }

    static Stream<Arguments> gatesOfEachStep() {
        return Stream.of(
                Arguments.of("shadow", "entry", List.of()),
                Arguments.of("shadow", "exit", List.of(
                        "soak",
                        "metric new shadow_mismatch_rate/discovery = 0.0 n>=1000 whole step",
                        "metric new shadow_mismatch_rate/notification = 0.0 n>=1000 whole step",
                        "metric new shadow_mismatch_rate/idle <= 0.05 n>=1000 whole step",
                        "metric new cycle_time_p95_ms <= legacy×1.1+0.0 n>=1000 PT1H",
                        "metric new memory_growth <= 1.1 n>=1 whole step",
                        "metric new error_rate <= legacy×1.0+0.001 n>=1000 PT1H",
                        "sign-off qa-lead")),
                Arguments.of("canary", "entry", List.of("condition canary-list-not-empty", "sign-off devops")),
                Arguments.of("canary", "exit", List.of(
                        "soak",
                        "metric new error_rate < 0.001 n>=1000 PT1H",
                        "metric new cycle_time_p95_ms <= baseline×1.1+0.0 n>=1000 PT1H",
                        "metric new support_tickets = 0.0 n>=0 whole step",
                        "smoke agent-discovery,idle-detection,notification-delivery,pm-recovery,performance",
                        "sign-off product")),
                Arguments.of("gradual", "entry", List.of("sign-off tech-lead")),
                Arguments.of("gradual", "exit", List.of(
                        "soak",
                        "metric new error_rate < 0.001 n>=1000 PT1H",
                        "metric new cycle_time_p95_ms <= baseline×1.1+0.0 n>=1000 PT1H",
                        "metric new cpu_percent < 50.0 n>=1 PT1H",
                        "metric new memory_bytes < 1.073741824E9 n>=1 PT1H",
                        "metric new cycle_time_p95_ms < 100.0 n>=1000 PT1H",
                        "metric new support_tickets = 0.0 n>=0 whole step",
                        "smoke agent-discovery,idle-detection,notification-delivery,pm-recovery,performance")),
                Arguments.of("full", "entry", List.of(
                        "sign-off qa-lead", "sign-off tech-lead", "sign-off devops", "sign-off product", "sign-off security")),
                Arguments.of("full", "exit", List.of(
                        "soak",
                        "metric new error_rate < 0.001 n>=1000 PT1H",
                        "metric new cycle_time_p95_ms < 100.0 n>=1000 PT1H",
                        "metric new memory_bytes < 1.073741824E9 n>=1 PT1H")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gatesOfEachStep")
    void shouldGateEachStepAsTheIssueLists(String stepName, String list, List<String> expected) {
        Step step = Plan.checklist(true).steps().stream().filter(s -> s.name().equals(stepName)).findFirst().orElseThrow();

        List<Gate> gates = list.equals("entry") ? step.entryGates() : step.exitGates();

        assertEquals(expected, gates.stream().map(PlanChecklistTest::summary).toList());
    }

    @Test
    void shouldWatchTheChecklistsRollbackTriggers() {
        List<String> triggers = Plan.checklist(false).triggers().stream()
                .map(t -> summary(t.condition()) + " ×" + t.consecutive() + " → " + t.action().wireName())
                .toList();

        assertEquals(List.of(
                "metric new error_rate > 0.05 n>=1000 PT10M ×1 → rollback",
                "metric new cycle_time_p95_ms > baseline×1.5+0.0 n>=1000 PT10M ×2 → rollback",
                "metric new memory_bytes > 2.147483648E9 n>=1 PT10M ×1 → rollback",
                "metric new smoke_failures > 0.0 n>=1 PT10M ×1 → rollback",
                "metric new support_tickets >= 3.0 n>=0 PT1H ×1 → rollback"), triggers);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldDescribeEveryGateAndTriggerInTheChecklistsWords(boolean shadowStep) {
        Plan plan = Plan.checklist(shadowStep);
        Stream<String> descriptions = Stream.concat(
                plan.steps().stream().flatMap(s -> Stream.concat(s.entryGates().stream(), s.exitGates().stream())).map(Gate::description),
                plan.triggers().stream().map(Trigger::description));

        descriptions.forEach(description -> {
            assertFalse(description.isBlank());
            assertTrue(description.length() <= PlanSpecs.MAX_DESCRIPTION, description);
        });
    }

    @Test
    void shouldShareTheStepsAfterTheOptionalShadowStep() {
        List<Step> withShadow = Plan.checklist(true).steps();

        assertEquals(Plan.checklist(false).steps(), withShadow.subList(1, withShadow.size()));
        assertEquals(Plan.checklist(false).triggers(), Plan.checklist(true).triggers());
        assertEquals(Duration.ofHours(24), withShadow.get(0).soak());
    }

    private static String summary(Gate gate) {
        if (gate instanceof Gate.MetricGate metric) {
            return summary(metric.condition());
        }
        if (gate instanceof Gate.SignOff signOff) {
            return "sign-off " + signOff.role();
        }
        if (gate instanceof Gate.Smoke smoke) {
            return "smoke " + String.join(",", smoke.checks());
        }
        if (gate instanceof Gate.Condition condition) {
            return "condition " + condition.condition();
        }
        return gate.kind();
    }

    private static String summary(MetricCondition c) {
        String limit = c.threshold() != null ? String.valueOf(c.threshold()) : c.relativeTo() + "×" + c.factor() + "+" + c.offset();
        String metric = c.category() == null ? c.metric() : c.metric() + "/" + c.category();
        return String.format(Locale.ROOT, "metric %s %s %s %s n>=%d %s", c.path(), metric, c.op().symbol(), limit, c.minSamples(),
                c.window() == null ? "whole step" : c.window());
    }
}
