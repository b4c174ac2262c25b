package dev.rolloutcontroller.domain.evaluation;

import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.active;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.gates;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.inputs;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.metricGate;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.relative;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.trigger;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.triggers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.TriggerAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelativeLimitTest {

    /** "new cycle-time p95 ≤ 1.10 × baseline", 1,000 cycles needed on each side. */
    private static final MetricCondition P95_WITHIN_BASELINE = relative("cycle_time_p95_ms", "<=", "baseline", 1.10, 0, 1000);

    /**
     * legacySamples 0 means no legacy figure; captured empty means no captured baseline.
     * The baseline is the legacy path while it reports enough, else the captured value, else nothing (PENDING).
     */
    @ParameterizedTest(name = "legacy {0} cycles at {1}, captured {2}, new {3} -> {4} (limit {5})")
    @CsvSource({
            "1000, 100, ,    110, PASS,    110",
            "1000, 100, ,    111, FAIL,    110",
            "1000, 100, 50,  100, PASS,    110",
            "999,  100, 50,  100, FAIL,    55",
            "0,    ,    200, 100, PASS,    220",
            "0,    ,    ,    100, PENDING, ",
            "999,  100, ,    100, PENDING, ",
    })
    void shouldTakeTheBaselineFromLegacyElseTheCapturedValue(
            long legacySamples, Double legacy, Double captured, double observed, Verdict expected, Double limit) {
        EngineFixtures.Inputs inputs = inputs(active(gates(metricGate(P95_WITHIN_BASELINE))))
                .gateStat(P95_WITHIN_BASELINE, Observation.of(observed, 5000));
        if (legacySamples > 0) {
            inputs.stat(StatKey.of(P95_WITHIN_BASELINE, true).onPath("legacy"), Observation.of(legacy, legacySamples));
        }
        if (captured != null) {
            inputs.baseline("cycle_time_p95_ms", captured);
        }

        GateResult result = inputs.onlyExitGate();

        assertEquals(expected, result.verdict(), result.detail());
        if (limit == null) {
            assertNull(result.threshold());
        } else {
            assertEquals(limit, result.threshold(), 1e-9);
        }
    }

    @Test
    void shouldSayWhereTheBaselineCameFrom() {
        EngineFixtures.Inputs legacy = inputs(active(gates(metricGate(P95_WITHIN_BASELINE))))
                .gateStat(P95_WITHIN_BASELINE, Observation.of(100, 5000))
                .stat(StatKey.of(P95_WITHIN_BASELINE, true).onPath("legacy"), Observation.of(100, 5000));
        EngineFixtures.Inputs captured = inputs(active(gates(metricGate(P95_WITHIN_BASELINE))))
                .gateStat(P95_WITHIN_BASELINE, Observation.of(100, 5000))
                .baseline("cycle_time_p95_ms", 50);
        EngineFixtures.Inputs nothing = inputs(active(gates(metricGate(P95_WITHIN_BASELINE))))
                .gateStat(P95_WITHIN_BASELINE, Observation.of(100, 5000));

        assertEquals("new-path cycle_time_p95_ms 100.0 ms over 5,000 cycles ≤ 110.0 ms (1.1 × baseline (legacy) 100.0 ms)",
                legacy.onlyExitGate().detail());
        assertEquals("new-path cycle_time_p95_ms 100.0 ms over 5,000 cycles, not ≤ 55.0 ms (1.1 × captured baseline 50.0 ms)",
                captured.onlyExitGate().detail());
        assertEquals("new-path cycle_time_p95_ms: no baseline yet (legacy path has 0 of 1,000 cycles and none was captured)",
                nothing.onlyExitGate().detail());
    }

    /** "new error rate ≤ legacy + 0.1 pp": legacy only, never a captured baseline. */
    @ParameterizedTest(name = "legacy {0}/{1}, captured {2}, new {3}/{4} -> {5}")
    @CsvSource({
            "5, 10000, ,      0,  10000, PASS",
            "5, 10000, ,      30, 10000, FAIL",
            "5, 10000, ,      10, 10000, PENDING",
            "0, 0,     0.0005, 0, 10000, PENDING",
            "5, 999,   ,      0,  10000, PENDING",
    })
    void shouldCompareWithTheLegacyPathOnlyWhenRelativeToLegacy(
            long legacyErrors, long legacyCycles, Double captured, long errors, long cycles, Verdict expected) {
        MetricCondition condition = relative("error_rate", "<=", "legacy", 1, 0.001, 1000);
        EngineFixtures.Inputs inputs = inputs(active(gates(metricGate(condition))))
                .gateStat(condition, Observation.rate(errors, cycles))
                .stat(StatKey.of(condition, true).onPath("legacy"), Observation.rate(legacyErrors, legacyCycles));
        if (captured != null) {
            inputs.baseline("error_rate", captured);
        }

        GateResult result = inputs.onlyExitGate();

        assertEquals(expected, result.verdict(), result.detail());
    }

    @ParameterizedTest(name = "captured {0}, new {1} -> breached {2}")
    @CsvSource({"100, 151, true", "100, 150, false", "100, 149, false", ", 1000, false"})
    void shouldBreachARelativeTriggerOnlyWithABaseline(Double captured, double observed, boolean breached) {
        MetricCondition condition = relative("cycle_time_p95_ms", ">", "baseline", 1.5, 0, 1000);
        EngineFixtures.Inputs inputs = inputs(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK))))
                .triggerStat(condition, Observation.of(observed, 5000))
                .stat(StatKey.of(condition, false).onPath("legacy"), Observation.EMPTY);
        if (captured != null) {
            inputs.baseline("cycle_time_p95_ms", captured);
        }

        TriggerResult result = inputs.onlyTrigger();

        assertEquals(breached, result.breached(), result.detail());
        assertEquals(captured == null ? null : captured * 1.5, result.threshold());
    }

    @Test
    void shouldKeyACapturedBaselineOfACategoryByMetricAndCategory() {
        MetricCondition idle = new MetricCondition("shadow_mismatch_rate", "idle", "new", Comparison.LE, null, "baseline", 1, 0.01, 1000, null);
        EngineFixtures.Inputs inputs = inputs(active(gates(metricGate(idle)))).gateStat(idle, Observation.rate(0, 5000));

        GateResult withoutCategory = inputs.baseline("shadow_mismatch_rate", 0.04).onlyExitGate();
        GateResult withCategory = inputs.baseline("shadow_mismatch_rate:idle", 0.02).onlyExitGate();

        assertEquals(Verdict.PENDING, withoutCategory.verdict(), withoutCategory.detail());
        assertEquals(Verdict.PASS, withCategory.verdict(), withCategory.detail());
        assertEquals(0.03, withCategory.threshold(), 1e-12);
        assertEquals("shadow_mismatch_rate:idle", StatKey.of(idle, true).metricKey());
    }

    @Test
    void shouldNeedTheMinimumSampleOnTheLegacySideToo() {
        MetricCondition condition = relative("cycle_time_p95_ms", ">", "legacy", 1.5, 0, 1000);
        TriggerResult thin = inputs(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK))))
                .triggerStat(condition, Observation.of(500, 5000))
                .stat(StatKey.of(condition, false).onPath("legacy"), Observation.of(100, 999))
                .onlyTrigger();
        TriggerResult enough = inputs(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK))))
                .triggerStat(condition, Observation.of(500, 5000))
                .stat(StatKey.of(condition, false).onPath("legacy"), Observation.of(100, 1000))
                .onlyTrigger();

        assertFalse(thin.breached(), thin.detail());
        assertTrue(enough.breached(), enough.detail());
    }
}
