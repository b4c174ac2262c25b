package dev.rolloutcontroller.domain.evaluation;

import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.ENTERED;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.NOW;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.active;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.inputs;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.op;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.trigger;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.triggers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.TriggerAction;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A trigger relative to baseline with no legacy path left (the 100% step) is judged against the captured baseline and
 * against the new path's own hour before the window at the same step, and breaches when it holds against either.
 */
class OwnHistoryTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    /** The checklist's cycle-time trigger: new p95 > 1.5 × baseline over 10 minutes, 1,000 cycles. */
    private static final MetricCondition P95_OVER_BASELINE = relative("cycle_time_p95_ms", ">", 1.5, 1000);

    private static MetricCondition relative(String metric, String symbol, double factor, long minSamples) {
        return new MetricCondition(metric, null, "new", op(symbol), null, "baseline", factor, 0, minSamples, WINDOW);
    }

    private static StatKey window(MetricCondition condition) {
        return StatKey.of(condition, true);
    }

    private static StatKey windowAndHour(MetricCondition condition) {
        return new StatKey(condition.metric(), null, "new", WINDOW.plus(OwnHistory.PERIOD), true);
    }

    /**
     * The last 10 minutes read {@code observed} over 6,000 cycles; the hour before them {@code own} over
     * {@code ownSamples} cycles (both windows as the engine reads them: the longer one holds both). legacyCycles 0: no
     * legacy figure (at 45 ms otherwise); captured empty: no captured baseline.
     */
    @ParameterizedTest(name = "legacy {0} cycles, captured {1}, own {2} over {3}, observed {4} -> breached {5} (limit {6})")
    @CsvSource({
            // legacy reports enough: it is the reference, whatever the own history says
            "1000, 47, 30, 36000, 60,   false, 67.5",
            // no legacy: the own history catches what the drifted captured baseline lets through
            "0,    47, 45, 36000, 70,   true,  67.5",
            // both hold: the captured baseline's reading stays
            "0,    40, 45, 36000, 72,   true,  60",
            // neither holds: the captured baseline's reading stays
            "0,    47, 45, 36000, 65,   false, 70.5",
            // no captured baseline (a plan that starts at 100%): the own history alone
            "0,      , 45, 36000, 72,   true,  67.5",
            "0,      , 45, 36000, 67.5, false, 67.5",
            // too little own history: the captured baseline alone
            "0,    47, 45, 999,   70,   false, 70.5",
            "0,    47, 45, 1000,  70,   true,  67.5",
    })
    void shouldBreachAgainstEitherTheCapturedBaselineOrTheOwnPreviousHour(
            long legacyCycles, Double captured, double own, long ownSamples, double observed, boolean breached, double limit) {
        TriggerResult result = judge(P95_OVER_BASELINE, legacyCycles, captured, own, ownSamples, observed);

        assertEquals(breached, result.breached(), result.detail());
        assertEquals(limit, result.threshold(), 1e-9, result.detail());
        assertEquals(observed, result.observed(), 1e-9);
    }

    @Test
    void shouldSayTheLimitCameFromTheOwnPreviousHour() {
        TriggerResult result = judge(P95_OVER_BASELINE, 0, 47.0, 45, 36000, 70);

        assertEquals("new-path cycle_time_p95_ms 70.0 ms over 6,000 cycles > 67.5 ms (1.5 × own previous hour 45.0 ms)",
                result.detail());
    }

    @Test
    void shouldNotReadAnOwnHistoryWhileTheStepIsYoungerThanTheWindow() {
        Observation sameTenMinutes = Observation.of(70, 6000);
        EngineFixtures.Inputs inputs = inputs(active(triggers(trigger(P95_OVER_BASELINE, 1, TriggerAction.ROLLBACK))))
                .at(ENTERED.plus(Duration.ofMinutes(5)))
                .triggerStat(P95_OVER_BASELINE, sameTenMinutes)
                .stat(window(P95_OVER_BASELINE), sameTenMinutes)
                .stat(windowAndHour(P95_OVER_BASELINE), sameTenMinutes)
                .baseline("cycle_time_p95_ms", 47);

        TriggerResult result = inputs.onlyTrigger();

        assertFalse(result.breached(), result.detail());
        assertEquals(70.5, result.threshold(), 1e-9);
    }

    /** Rates subtract their events: 2.00% in the window against 0.50% the hour before, limit 2 × 0.50%. */
    @Test
    void shouldReadARateFromTheDifferenceOfItsEventsAndSamples() {
        MetricCondition errorsOverBaseline = relative("error_rate", ">", 2, 1000);
        EngineFixtures.Inputs inputs = inputs(active(triggers(trigger(errorsOverBaseline, 1, TriggerAction.ROLLBACK))))
                .triggerStat(errorsOverBaseline, Observation.rate(200, 10_000))
                .stat(window(errorsOverBaseline), Observation.rate(200, 10_000))
                .stat(windowAndHour(errorsOverBaseline), Observation.rate(200 + 300, 10_000 + 60_000));

        TriggerResult result = inputs.onlyTrigger();

        assertTrue(result.breached(), result.detail());
        assertEquals(0.01, result.threshold(), 1e-12);
        assertEquals("new-path error_rate 2.00% (200 of 10,000 cycles, lower 95% bound 1.74%) > 1.00% "
                + "(2 × own previous hour 0.50%)", result.detail());
    }

    /** Only triggers relative to baseline over a window, on figures that are means, read the two extra windows. */
    @ParameterizedTest(name = "{0} relative to {1} -> own history {2}")
    @CsvSource({
            "cycle_time_p95_ms, baseline, true",
            "error_rate,        baseline, true",
            "cpu_percent,       baseline, true",
            "cycle_time_p95_ms, legacy,   false",
            "memory_bytes,      baseline, false",
            "cycle_time_max_ms, baseline, false",
    })
    void shouldAskForTheOwnHistoryWindowsOnlyWhereTheyCanBeSubtracted(String metric, String relativeTo, boolean asked) {
        MetricCondition condition = new MetricCondition(metric, null, "new", op(">"), null, relativeTo, 1.5, 0, 1000, WINDOW);

        Set<StatKey> keys = RolloutEngine.requiredStats(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK))));

        assertEquals(asked, keys.contains(windowAndHour(condition)) && keys.contains(window(condition)), keys.toString());
    }

    private static TriggerResult judge(MetricCondition condition, long legacyCycles, Double captured, double own, long ownSamples,
            double observed) {
        long windowSamples = 6000;
        Observation lastTen = Observation.of(observed, windowSamples);
        EngineFixtures.Inputs inputs = inputs(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK))))
                .at(NOW)
                .triggerStat(condition, lastTen)
                .stat(window(condition), lastTen)
                .stat(windowAndHour(condition), Observation.of(
                        (own * ownSamples + observed * windowSamples) / (ownSamples + windowSamples), ownSamples + windowSamples));
        if (legacyCycles > 0) {
            inputs.stat(StatKey.of(condition, false).onPath("legacy"), Observation.of(45, legacyCycles));
        }
        if (captured != null) {
            inputs.baseline("cycle_time_p95_ms", captured);
        }
        return inputs.onlyTrigger();
    }
}
