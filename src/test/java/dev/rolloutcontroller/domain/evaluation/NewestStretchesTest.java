package dev.rolloutcontroller.domain.evaluation;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The drill's trigger: error rate > 5% over 30 s with 1,000 cycles, and the newest stretches of that window. */
class NewestStretchesTest {

    private static final MetricCondition ERRORS_OVER_30S = rate(">", 0.05, null, Duration.ofSeconds(30));

    private static MetricCondition rate(String op, double threshold, String relativeTo, Duration window) {
        return new MetricCondition("error_rate", null, "new", op(op), relativeTo == null ? threshold : null, relativeTo, 1, 0, 1000,
                window);
    }

    private static StatKey stretch(MetricCondition condition, long seconds) {
        return new StatKey(condition.metric(), condition.category(), condition.path(), Duration.ofSeconds(seconds), false);
    }

    private static TriggerResult judge(MetricCondition condition, Map<StatKey, Observation> stats) {
        return inputs(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK)))).stats(stats).onlyTrigger();
    }

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({
            "30,   15 7 3 1",
            "600,  300 150 75 37 18",
            "3600, 1800 900 450 225 112",
            "3,    1",
            "1,    ''",
    })
    void shouldHalveTheWindowInWholeSecondsDownToOneSecond(long window, String expected) {
        List<Long> seconds = NewestStretches.keys(rate(">", 0.05, null, Duration.ofSeconds(window))).stream()
                .map(key -> key.window().getSeconds()).toList();

        List<Long> wanted = expected.isBlank() ? List.of() : java.util.Arrays.stream(expected.split(" ")).map(Long::parseLong).toList();
        assertEquals(wanted, seconds);
    }

    @Test
    void shouldJudgeOnlyRatesWithAnInequalityOverAWindow() {
        assertTrue(NewestStretches.applies(ERRORS_OVER_30S));
        assertTrue(NewestStretches.applies(rate("<", 0.5, null, Duration.ofSeconds(30))));
        assertFalse(NewestStretches.applies(rate("=", 0, null, Duration.ofSeconds(30))), "= compares the point estimate");
        assertFalse(NewestStretches.applies(rate(">", 0.05, null, null)), "no window: the whole step");
        assertFalse(NewestStretches.applies(new MetricCondition("cycle_time_p95_ms", null, "new", op(">"), 150.0, null, 1, 0, 1000,
                Duration.ofSeconds(30))), "a p95 has no bound that grows with the sample");
    }

    @Test
    void shouldAskForTheStretchesOfEveryRateTrigger() {
        var keys = RolloutEngine.requiredStats(active(triggers(trigger(ERRORS_OVER_30S, 1, TriggerAction.ROLLBACK))));

        assertTrue(keys.containsAll(NewestStretches.keys(ERRORS_OVER_30S)), keys::toString);
    }

    /**
     * 6% errors for the newest 7 s after 23 s at 0.1%: the window reads 1.5%, far under the line, but its newest 7 s
     * are over it even on the 99% bound.
     */
    @Test
    void shouldBreachOnARegressionInTheNewestStretchThatTheWholeWindowDilutes() {
        TriggerResult result = judge(ERRORS_OVER_30S, Map.of(
                StatKey.of(ERRORS_OVER_30S, false), Observation.rate(23 + 840, 23_000 + 14_000),
                stretch(ERRORS_OVER_30S, 15), Observation.rate(8 + 840, 8_000 + 14_000),
                stretch(ERRORS_OVER_30S, 7), Observation.rate(840, 14_000),
                stretch(ERRORS_OVER_30S, 3), Observation.rate(360, 6_000)));

        assertTrue(result.breached(), result.detail());
        assertTrue(result.fired());
        assertEquals(14_000, result.samples(), "the longest stretch that breaches is the one reported");
        assertEquals(0.06, result.observed(), 1e-9);
        assertEquals("new-path error_rate 6.00% (840 of 14,000 cycles in the newest 7s of the 30s window, lower 99% bound 5.50%) > 5.00%",
                result.detail());
    }

    /** 6% over 3,000 cycles passes 5% on the 95% bound (5.15%) but not on the 99% one (4.88%) the stretches use. */
    @Test
    void shouldJudgeAStretchOnTheNinetyNinePercentBound() {
        assertTrue(Wilson.lower(180, 3_000) > 0.05);
        assertTrue(Wilson.lower(180, 3_000, Wilson.Z99) < 0.05);

        TriggerResult stretchOnly = judge(ERRORS_OVER_30S, Map.of(
                StatKey.of(ERRORS_OVER_30S, false), Observation.rate(180, 30_000),
                stretch(ERRORS_OVER_30S, 7), Observation.rate(180, 3_000)));
        TriggerResult wholeWindow = judge(ERRORS_OVER_30S, Map.of(StatKey.of(ERRORS_OVER_30S, false), Observation.rate(180, 3_000)));

        assertFalse(stretchOnly.breached(), stretchOnly.detail());
        assertTrue(wholeWindow.breached(), wholeWindow.detail());
    }

    /** Every error in the newest second, but 999 cycles of the 1,000 the trigger needs: a stretch breaches with its minimum sample only. */
    @Test
    void shouldNotBreachOnAStretchBelowTheMinimumSample() {
        TriggerResult result = judge(ERRORS_OVER_30S, Map.of(
                StatKey.of(ERRORS_OVER_30S, false), Observation.rate(999, 30_000),
                stretch(ERRORS_OVER_30S, 1), Observation.rate(999, 999)));

        assertFalse(result.breached(), result.detail());
        assertEquals(30_000, result.samples(), "the whole window is what is reported when nothing breaches");
    }

    /** The stretches share the window's reference: here legacy's 30 s figure, 1%, for "> 2 × legacy". */
    @Test
    void shouldJudgeAStretchAgainstTheWholeWindowsReference() {
        MetricCondition twiceLegacy = new MetricCondition("error_rate", null, "new", op(">"), null, "legacy", 2, 0, 1000,
                Duration.ofSeconds(30));
        StatKey window = StatKey.of(twiceLegacy, false);
        TriggerResult result = judge(twiceLegacy, Map.of(
                window, Observation.rate(400, 30_000),
                window.onPath("legacy"), Observation.rate(300, 30_000),
                stretch(twiceLegacy, 3), Observation.rate(150, 5_000)));

        assertTrue(result.breached(), result.detail());
        assertEquals(0.02, result.threshold(), 1e-12);
        assertTrue(result.detail().endsWith("> 2.00% (2 × legacy 1.00%)"), result.detail());
    }

    @Test
    void shouldNotBreachWhenTheWindowCannotBeJudged() {
        MetricCondition twiceLegacy = new MetricCondition("error_rate", null, "new", op(">"), null, "legacy", 2, 0, 1000,
                Duration.ofSeconds(30));
        TriggerResult result = judge(twiceLegacy, Map.of(
                StatKey.of(twiceLegacy, false), Observation.rate(400, 30_000),
                stretch(twiceLegacy, 3), Observation.rate(1_000, 5_000)));

        assertFalse(result.breached(), "without legacy's figure there is no limit for the stretch either: " + result.detail());
    }
}
