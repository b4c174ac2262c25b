package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.MetricCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to measure: a metric on a path over a window.
 *
 * @param category      only for {@code shadow_mismatch_rate}, else null
 * @param window        how far back from now; null means "since the step was entered"
 * @param boundedByStep the window never reaches back before the step was entered (true for gates, so a
 *                      step is judged on its own data; false for triggers, so a bad minute right after a
 *                      transition is still seen)
 * @param query         the PromQL query of a {@code prometheus} metric, else null
 */
public record StatKey(String metric, String category, String path, Duration window, boolean boundedByStep, String query) {

    public StatKey(String metric, String category, String path, Duration window, boolean boundedByStep) {
        this(metric, category, path, window, boundedByStep, null);
    }

    public StatKey {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(path, "path");
    }

    /** The statistic a condition reads: a gate's (bounded by the step) or a trigger's (not bounded). */
    public static StatKey of(MetricCondition condition, boolean boundedByStep) {
        return new StatKey(condition.metric(), condition.category(), condition.path(), condition.window(), boundedByStep,
                condition.query());
    }

    /** The same statistic on another path, e.g. the legacy twin of a new-path figure. */
    public StatKey onPath(String otherPath) {
        return new StatKey(metric, category, otherPath, window, boundedByStep, query);
    }

    /**
     * Where the window of this statistic starts for a pass at {@code now}: gates judge a step on its own data
     * (never before {@code stepEnteredAt}); triggers look back their whole window; no window means the whole step.
     */
    public Instant windowStart(Instant stepEnteredAt, Instant now) {
        if (window == null) {
            return stepEnteredAt;
        }
        Instant start = now.minus(window);
        return boundedByStep && start.isBefore(stepEnteredAt) ? stepEnteredAt : start;
    }

    /** The key of the metric in a captured baseline: the metric, or {@code metric:category}. */
    public String metricKey() {
        return metricKey(metric, category);
    }

    static String metricKey(String metric, String category) {
        return category == null ? metric : metric + ":" + category;
    }
}
