package dev.rolloutcontroller.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metric gates and triggers with {@code "source": "prometheus"}: what a plan may say, and the round trip. */
class PrometheusConditionSpecTest {

    private static final String QUERY = "max(rate(node_disk_io_time_seconds_total{rollout=\"{{rollout}}\"}[{{window}}]))";

    private static GateSpec gate(String metric, String source, String query, Double threshold, String relativeTo, Long minSamples) {
        return new GateSpec("metric", "disk I/O", null, metric, null, null, "<", threshold, relativeTo, null, null, minSamples,
                "PT5M", null, null, source, query);
    }

    private static TriggerSpec trigger(String source, String query) {
        return new TriggerSpec(null, null, null, ">", 0.9, null, null, null, null, 2, "PT5M", "rollback", "disk saturated",
                source, query);
    }

    private static Validated<Plan> plan(GateSpec gate, TriggerSpec trigger) {
        StepSpec step = new StepSpec("full", 100, "PT1H", false, List.of(), gate == null ? List.of() : List.of(gate));
        return PlanSpecs.toPlan(new PlanSpec(List.of(step), trigger == null ? List.of() : List.of(trigger)), "plan");
    }

    @Test
    void shouldAcceptAGateAndATriggerOnAPrometheusQueryAndGiveThemBackAsWritten() {
        Validated<Plan> validated = plan(gate(null, "prometheus", QUERY, 0.5, null, null), trigger("prometheus", QUERY));
        @SuppressWarnings("unchecked")
        Plan plan = ((Validated.Valid<Plan>) assertInstanceOf(Validated.Valid.class, validated, validated.toString())).value();
        MetricCondition condition = ((Gate.MetricGate) plan.steps().get(0).exitGates().get(0)).condition();
        assertEquals(MetricCondition.PROMETHEUS, condition.metric());
        assertEquals(QUERY, condition.query());
        assertEquals(QUERY, plan.triggers().get(0).condition().query());

        PlanSpec back = PlanSpecs.fromPlan(plan);
        GateSpec gateBack = back.steps().get(0).exitGates().get(0);
        assertEquals("prometheus", gateBack.source());
        assertEquals(QUERY, gateBack.query());
        assertEquals(null, gateBack.metric(), "a query's gate has no metric on the wire");
        assertEquals(null, gateBack.minSamples());
        assertEquals("prometheus", back.triggers().get(0).source());
        assertEquals(new Validated.Valid<>(plan), PlanSpecs.toPlan(back, "plan"), "the round trip keeps the plan");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(gate(null, "prometheus", "sum(rate(x[5m])", 0.5, null, null), "plan.steps[0].exitGates[0].query",
                        "not valid PromQL"),
                Arguments.of(gate(null, "prometheus", null, 0.5, null, null), "plan.steps[0].exitGates[0].query", "required"),
                Arguments.of(gate(null, "prometheus", "x{s=\"{{session}}\"}", 0.5, null, null), "plan.steps[0].exitGates[0].query",
                        "unknown placeholder {{session}}"),
                Arguments.of(gate("error_rate", "prometheus", QUERY, 0.5, null, null), "plan.steps[0].exitGates[0].metric",
                        "remove metric"),
                Arguments.of(gate(null, "prometheus", QUERY, null, "baseline", null), "plan.steps[0].exitGates[0].relativeTo",
                        "absolute threshold"),
                Arguments.of(gate(null, "prometheus", QUERY, 0.5, null, 10L), "plan.steps[0].exitGates[0].minSamples",
                        "one sample"),
                Arguments.of(gate("error_rate", null, QUERY, 0.5, null, null), "plan.steps[0].exitGates[0].query",
                        "only a condition with \"source\": \"prometheus\""),
                Arguments.of(gate("error_rate", "graphite", null, 0.5, null, null), "plan.steps[0].exitGates[0].source",
                        "unknown source 'graphite'"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void shouldNameTheFieldOfEachMistake(GateSpec gate, String field, String message) {
        Validated<Plan> validated = plan(gate, null);
        Validated.Invalid<Plan> invalid = assertInstanceOf(Validated.Invalid.class, validated);
        assertTrue(invalid.errors().stream().anyMatch(e -> e.field().equals(field) && e.message().contains(message)),
                () -> invalid.errors().toString());
    }

    @Test
    void shouldRefuseAnUnparsableTriggerQuery() {
        Validated.Invalid<Plan> invalid = assertInstanceOf(Validated.Invalid.class, plan(null, trigger("prometheus", "rate(x[5])")));
        assertEquals("plan.triggers[0].query", invalid.errors().get(0).field());
    }
}
