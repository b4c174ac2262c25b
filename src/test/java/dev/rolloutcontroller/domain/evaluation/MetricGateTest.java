package dev.rolloutcontroller.domain.evaluation;

import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.absolute;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.active;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.gates;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.inputs;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.metricGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.MetricCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricGateTest {

    private static GateResult judge(MetricCondition condition, Observation observation) {
        return inputs(active(gates(metricGate(condition)))).gateStat(condition, observation).onlyExitGate();
    }

    @ParameterizedTest(name = "{0} {1} {2}, observed {3} -> {4}")
    @CsvSource({
            "cpu_percent,       <,  50,         49.99,      PASS",
            "cpu_percent,       <,  50,         50,         FAIL",
            "cpu_percent,       <=, 50,         50,         PASS",
            "cpu_percent,       <=, 50,         50.01,      FAIL",
            "cpu_percent,       >,  50,         50,         FAIL",
            "cpu_percent,       >,  50,         50.01,      PASS",
            "cpu_percent,       >=, 50,         50,         PASS",
            "cpu_percent,       >=, 50,         49.99,      FAIL",
            "cpu_percent,       =,  50,         50,         PASS",
            "cpu_percent,       =,  50,         50.01,      FAIL",
            "support_tickets,   =,  0,          0,          PASS",
            "support_tickets,   =,  0,          1,          FAIL",
            "memory_bytes,      <,  1073741824, 1073741823, PASS",
            "memory_bytes,      <,  1073741824, 1073741824, FAIL",
            "cycle_time_p95_ms, <,  100,        99.9,       PASS",
            "cycle_time_p95_ms, <,  100,        100,        FAIL",
            "memory_growth,     <=, 1.1,        1.1,        PASS",
            "memory_growth,     <=, 1.1,        1.1000001,  FAIL",
            "sessions_reporting, >=, 10,        10,         PASS",
            "sessions_reporting, >=, 10,        9,          FAIL",
    })
    void shouldCompareThePointValueOfNonRateGatesAtEachBoundary(String metric, String op, double threshold, double observed, Verdict expected) {
        GateResult result = judge(absolute(metric, op, threshold, 1), Observation.of(observed, 5));

        assertEquals(expected, result.verdict(), result.detail());
        assertEquals(observed, result.observed());
        assertEquals(threshold, result.threshold());
        assertEquals(5L, result.samples());
        assertEquals("metric", result.kind());
    }

    /**
     * Rates are judged with the 95% Wilson interval: {@code <}/{@code ≤} pass on the upper bound and fail on the point
     * estimate, {@code >}/{@code ≥} pass on the lower bound, and anything in between waits for more data.
     */
    @ParameterizedTest(name = "{0} {1} {2}, {3}/{4} -> {5}")
    @CsvSource({
            "error_rate,           <,  0.001, 0,  3837,   PENDING",
            "error_rate,           <,  0.001, 0,  3838,   PASS",
            "error_rate,           <=, 0.001, 0,  3837,   PENDING",
            "error_rate,           <,  0.001, 1,  1000,   FAIL",
            "error_rate,           <=, 0.001, 1,  1000,   PENDING",
            "error_rate,           <,  0.001, 5,  1000,   FAIL",
            "error_rate,           <=, 0.05,  0,  100,    PASS",
            "error_rate,           <,  0.05,  5,  100,    FAIL",
            "error_rate,           <=, 0.05,  5,  100,    PENDING",
            "error_rate,           <,  0.12,  5,  100,    PASS",
            "error_rate,           <,  0.11,  5,  100,    PENDING",
            "error_rate,           >,  0.05,  50, 100,    PASS",
            "error_rate,           >,  0.05,  5,  100,    FAIL",
            "error_rate,           >=, 0.05,  5,  100,    PENDING",
            "error_rate,           >=, 0.02,  5,  100,    PASS",
            "error_rate,           >,  0.03,  5,  100,    PENDING",
            "shadow_mismatch_rate, =,  0,     0,  1000,   PASS",
            "shadow_mismatch_rate, =,  0,     1,  100000, FAIL",
            "shadow_mismatch_rate, <=, 0.05,  30, 1000,   PASS",
            "shadow_mismatch_rate, <=, 0.05,  40, 1000,   PENDING",
            "shadow_mismatch_rate, <=, 0.05,  51, 1000,   FAIL",
    })
    void shouldJudgeRateGatesOnTheirWilsonBounds(String metric, String op, double threshold, long events, long trials, Verdict expected) {
        GateResult result = judge(absolute(metric, op, threshold, 100), Observation.rate(events, trials));

        assertEquals(expected, result.verdict(), result.detail());
        assertEquals((double) events / trials, result.observed());
        assertEquals((long) trials, result.samples());
    }

    /** The bound itself at the limit: {@code ≤}/{@code ≥} accept it, {@code <}/{@code >} do not (and the point is inside). */
    @ParameterizedTest(name = "{0} the {1} bound of {2}/{3} -> {4}")
    @CsvSource({
            "<=, upper, 0,  1000, PASS",
            "<,  upper, 0,  1000, PENDING",
            ">=, lower, 50, 100,  PASS",
            ">,  lower, 50, 100,  PENDING",
    })
    void shouldCompareTheWilsonBoundExactlyAtTheLimit(String op, String bound, long events, long trials, Verdict expected) {
        double limit = bound.equals("upper") ? Wilson.upper(events, trials) : Wilson.lower(events, trials);

        GateResult result = judge(absolute("error_rate", op, limit, 1), Observation.rate(events, trials));

        assertEquals(expected, result.verdict(), result.detail());
    }

    /** max(minSamples, 1) samples are needed; one fewer is PENDING, whatever the value. */
    @ParameterizedTest(name = "{0} {1} {2} needing {3}, {4} samples -> {5}")
    @CsvSource({
            "cycle_time_p95_ms, <,  100,  1000, 999,  PENDING",
            "cycle_time_p95_ms, <,  100,  1000, 1000, PASS",
            "error_rate,        <,  0.05, 1000, 999,  PENDING",
            "error_rate,        <,  0.05, 1000, 1000, PASS",
            "memory_bytes,      <,  1e9,  1,    1,    PASS",
            "support_tickets,   =,  0,    0,    1,    PASS",
    })
    void shouldStayPendingBelowTheMinimumSample(String metric, String op, double threshold, long minSamples, long samples, Verdict expected) {
        MetricCondition condition = absolute(metric, op, threshold, minSamples);
        Observation observation = metric.equals("error_rate") ? Observation.rate(0, samples)
                : metric.equals("support_tickets") ? Observation.count(0) : Observation.of(10, samples);

        GateResult result = judge(condition, observation);

        assertEquals(expected, result.verdict(), result.detail());
        assertEquals(samples, result.samples());
    }

    @ParameterizedTest(name = "{0} with minSamples {1}")
    @CsvSource({"support_tickets, 0", "memory_bytes, 1", "error_rate, 1000", "cycle_time_p95_ms, 1000"})
    void shouldNeverPassAnEmptyWindow(String metric, long minSamples) {
        MetricCondition condition = absolute(metric, metric.equals("support_tickets") ? "=" : "<", metric.equals("error_rate") ? 0.5 : 1e12, minSamples);

        GateResult missing = inputs(active(gates(metricGate(condition)))).onlyExitGate();
        GateResult empty = judge(condition, Observation.EMPTY);

        assertEquals(Verdict.PENDING, missing.verdict(), missing.detail());
        assertEquals(Verdict.PENDING, empty.verdict(), empty.detail());
        assertNull(empty.observed());
        assertEquals(0L, empty.samples());
    }

    @Test
    void shouldReadTheGateStatisticBoundedByTheStepNotTheTriggers() {
        MetricCondition condition = absolute("cpu_percent", "<", 50, 1);

        GateResult result = inputs(active(gates(metricGate(condition)))).triggerStat(condition, Observation.of(10, 100)).onlyExitGate();

        assertEquals(Verdict.PENDING, result.verdict(), result.detail());
    }

    @Test
    void shouldStayPendingOnAnUnusableValue() {
        GateResult result = judge(absolute("cpu_percent", "<", 50, 1), new Observation(Double.NaN, 10, 0));

        assertEquals(Verdict.PENDING, result.verdict());
        assertNull(result.observed());
    }

    @Test
    void shouldSayWhatWasSeenAndWhatWasNeeded() {
        MetricCondition condition = absolute("error_rate", "<", 0.001, 1000);

        assertEquals("new-path error_rate: only 812 of 1,000 cycles; needs < 0.10%",
                judge(condition, Observation.rate(0, 812)).detail());
        assertEquals("new-path error_rate: no data yet (needs 1,000 cycles); needs < 0.10%",
                judge(condition, Observation.EMPTY).detail());
        assertEquals("new-path error_rate 0.00% (0 of 10,000 cycles, upper 95% bound 0.04%) < 0.10%",
                judge(condition, Observation.rate(0, 10_000)).detail());
        assertEquals("new-path error_rate 1.00% (100 of 10,000 cycles, upper 95% bound 1.21%), not < 0.10%",
                judge(condition, Observation.rate(100, 10_000)).detail());
        assertEquals("new-path error_rate 0.05% (1 of 2,000 cycles, upper 95% bound 0.28%): not yet confidently < 0.10%, more cycles needed",
                judge(condition, Observation.rate(1, 2_000)).detail());
        assertEquals("new-path memory_bytes 1.50 GiB over 12 reports, not < 1.00 GiB",
                judge(absolute("memory_bytes", "<", EngineFixtures.GIB, 1), Observation.of(1.5 * EngineFixtures.GIB, 12)).detail());
    }

    @Test
    void shouldJudgeACategorisedShadowRateUnderItsOwnKey() {
        MetricCondition idle = new MetricCondition("shadow_mismatch_rate", "idle", "new", Comparison.LE, 0.05, null, 1, 0, 1000, null);
        MetricCondition discovery = new MetricCondition("shadow_mismatch_rate", "discovery", "new", Comparison.LE, 0.05, null, 1, 0, 1000, null);

        GateResult result = inputs(active(gates(metricGate(idle))))
                .gateStat(discovery, Observation.rate(0, 5000))
                .gateStat(idle, Observation.rate(400, 5000))
                .onlyExitGate();

        assertEquals(Verdict.FAIL, result.verdict());
        assertEquals("shadow_mismatch_rate (idle) 8.00% (400 of 5,000 comparisons, upper 95% bound 8.78%), not ≤ 5.00%", result.detail());
        assertEquals(new StatKey("shadow_mismatch_rate", "idle", "new", null, true), StatKey.of(idle, true));
    }
}
