package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Metric;
import dev.rolloutcontroller.domain.MetricCondition;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The new path's own recent history at the current step: the second reference of a trigger relative to
 * {@code baseline} once the legacy path no longer reports enough (at 100% nobody is left on it). The captured
 * baseline is hours old by then and drifts with the time of day; the hour just before the trigger's window, at the
 * same step, does not, so a step change in the new path's own series shows against it (decision 0016).
 *
 * <p>The hour is read as the difference of two windows that end now, both bounded by the step: the trigger's window
 * plus {@link #PERIOD}, minus the trigger's window. Every source answers windows ending now, so no new kind of
 * statistic is needed; that is also why only metrics whose figure is a mean over its samples qualify (rates, the
 * cycle-weighted p95, CPU per report): sums subtract, maxima do not.
 */
final class OwnHistory {

    /** How far before the trigger's window the reference reaches: long enough to be steady, short enough for the time of day not to move it. */
    static final Duration PERIOD = Duration.ofHours(1);
    /** How a limit names this reference. */
    static final String SOURCE = "own previous hour";

    private static final Set<Metric> MEANS = EnumSet.of(Metric.ERROR_RATE, Metric.SHADOW_MISMATCH_RATE, Metric.CYCLE_TIME_P95_MS,
            Metric.CPU_PERCENT);

    private OwnHistory() {
    }

    /** Whether a trigger's condition is also judged against its own history: relative to baseline, over a window, a mean. */
    static boolean applies(MetricCondition condition) {
        return Reading.BASELINE.equals(condition.relativeTo()) && condition.window() != null
                && Metric.fromWireName(condition.metric()).map(MEANS::contains).orElse(false);
    }

    /** The two statistics the reference is the difference of: the window plus the hour, and the window, both bounded by the step. */
    static List<StatKey> keys(MetricCondition condition) {
        StatKey window = StatKey.of(condition, true);
        return List.of(withWindow(window, condition.window().plus(PERIOD)), window);
    }

    /** The new path's figure over the hour before the trigger's window at this step; empty when the step is younger than the window. */
    static Observation reference(MetricCondition condition, EvaluationInput input) {
        List<StatKey> keys = keys(condition);
        Observation longer = input.stat(keys.get(0));
        Observation window = input.stat(keys.get(1));
        long samples = longer.samples() - window.samples();
        if (samples <= 0) {
            return Observation.EMPTY;
        }
        if (Format.isRate(condition.metric())) {
            long events = longer.events() - window.events();
            return events < 0 || events > samples ? Observation.EMPTY : Observation.rate(events, samples);
        }
        if (!Double.isFinite(longer.value()) || window.samples() > 0 && !Double.isFinite(window.value())) {
            return Observation.EMPTY;
        }
        double windowSum = window.samples() == 0 ? 0 : window.value() * window.samples();
        return Observation.of((longer.value() * longer.samples() - windowSum) / samples, samples);
    }

    private static StatKey withWindow(StatKey key, Duration window) {
        return new StatKey(key.metric(), key.category(), key.path(), window, key.boundedByStep(), key.query());
    }
}
