package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.TriggerAction;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.active;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.gates;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.inputs;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.metricGate;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.rollout;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.trigger;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.triggers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conditions on a Prometheus query: one sample is judged like any figure, an unavailable one is no data with its reason. */
class PrometheusConditionTest {

    private static final MetricCondition DISK = new MetricCondition(MetricCondition.PROMETHEUS, null, "new", Comparison.LT, 0.5,
            null, 1, 0, 0, Duration.ofMinutes(5), "max(disk{rollout=\"{{rollout}}\"})");

    @Test
    void shouldPassOnASampleUnderTheThreshold() {
        Decision decision = inputs(active(gates(metricGate(DISK)))).gateStat(DISK, Observation.of(0.2, 1)).evaluate();
        GateResult gate = decision.exitGates().get(0);
        assertEquals(Verdict.PASS, gate.verdict());
        assertEquals(0.2, gate.observed());
        assertEquals(0.5, gate.threshold());
        assertTrue(gate.detail().startsWith("prometheus query 0.2"), gate.detail());
    }

    @Test
    void shouldHoldOnAnUnavailableAnswerAndSayWhy() {
        Decision decision = inputs(active(gates(metricGate(DISK))))
                .gateStat(DISK, Observation.unavailable("Prometheus did not answer within 5 s")).evaluate();
        GateResult gate = decision.exitGates().get(0);
        assertEquals(Verdict.PENDING, gate.verdict());
        assertEquals("prometheus query: no data: Prometheus did not answer within 5 s; needs < 0.500", gate.detail());
    }

    @Test
    void shouldNotFireATriggerWithoutAnAnswerAndFireOnABreach() {
        MetricCondition cpu = new MetricCondition(MetricCondition.PROMETHEUS, null, "new", Comparison.GT, 0.9, null, 1, 0, 0,
                null, "max(cpu)");
        var rollout = rollout(triggers(trigger(cpu, 1, TriggerAction.ROLLBACK)), RolloutStatus.ACTIVE, 0);
        Decision silent = inputs(rollout).triggerStat(cpu, Observation.unavailable("the query returned 2 series")).evaluate();
        assertFalse(silent.triggers().get(0).breached());
        assertTrue(silent.triggers().get(0).detail().contains("no data: the query returned 2 series, so it cannot breach"),
                silent.triggers().get(0).detail());

        Decision breached = inputs(rollout).triggerStat(cpu, Observation.of(0.95, 1)).evaluate();
        assertEquals(EngineAction.ROLLBACK, breached.action());
    }
}
