package dev.rolloutcontroller.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * "{@code metric} on {@code path} {@code op} limit", judged over {@code window} (null: the whole step)
 * once at least {@code minSamples} samples exist. The limit is {@code base × factor + offset}, where
 * base is the absolute {@code threshold} or, when {@code relativeTo} is set instead, the same metric
 * of the baseline or of the legacy path. Exactly one of threshold and relativeTo is set.
 *
 * @param category   only for {@code shadow_mismatch_rate}: one of {@link Vocabulary#SHADOW_CATEGORIES}
 * @param minSamples cycles for rates and cycle times, comparisons for mismatch rates, reports otherwise
 * @param query      a PromQL query whose single sample is the figure (metric {@link #PROMETHEUS}, absolute threshold);
 *                   null for the daemons' reports
 */
public record MetricCondition(
        String metric,
        String category,
        String path,
        Comparison op,
        Double threshold,
        String relativeTo,
        double factor,
        double offset,
        long minSamples,
        Duration window,
        String query) {

    /** The metric of a condition read from Prometheus: the figure is whatever its query returns. */
    public static final String PROMETHEUS = Metric.PROMETHEUS.wireName();

    public MetricCondition(String metric, String category, String path, Comparison op, Double threshold, String relativeTo,
                           double factor, double offset, long minSamples, Duration window) {
        this(metric, category, path, op, threshold, relativeTo, factor, offset, minSamples, window, null);
    }

    public MetricCondition {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(op, "op");
        if ((threshold == null) == (relativeTo == null)) {
            throw new IllegalArgumentException("exactly one of threshold and relativeTo must be set");
        }
        if ((query != null) != PROMETHEUS.equals(metric) || (query != null && threshold == null)) {
            throw new IllegalArgumentException("a query goes with metric " + PROMETHEUS + " and an absolute threshold");
        }
    }

    /** The value the observation is compared with, given the base (the threshold, or the referenced figure). */
    public double limit(double base) {
        return base * factor + offset;
    }
}
