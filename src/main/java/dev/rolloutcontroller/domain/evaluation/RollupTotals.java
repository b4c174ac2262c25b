package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Metric;

/**
 * The per-minute rollups of one path summed over a window, and the observation each rollup metric reads from
 * them. The one place this arithmetic exists: the live window statistics and the replay both use it.
 *
 * @param p95WeightedSum Σ cycle_time_p95_ms × cycles, so the window's p95 is the cycle-weighted mean
 * @param maxCycleMs     null when no rollup is in the window
 * @param maxMemory      null when no rollup is in the window
 */
public record RollupTotals(long reports, long cycles, long errors, double p95WeightedSum, Double maxCycleMs, Long maxMemory,
                           double cpuSum) {

    /** The observation of a metric read from rollups; {@link Observation#EMPTY} when no report is in the window. */
    public Observation observation(Metric metric) {
        if (reports == 0) {
            return Observation.EMPTY;
        }
        return switch (metric) {
            case ERROR_RATE -> Observation.rate(errors, cycles);
            case CYCLE_TIME_P95_MS -> Observation.of(cycles == 0 ? Double.NaN : p95WeightedSum / cycles, cycles);
            case CYCLE_TIME_MAX_MS -> Observation.of(maxCycleMs, cycles);
            case MEMORY_BYTES -> Observation.of(maxMemory, reports);
            case CPU_PERCENT -> Observation.of(cpuSum / reports, reports);
            case CYCLES -> Observation.of(cycles, cycles);
            default -> throw new IllegalArgumentException(metric.wireName() + " is not read from rollups");
        };
    }

    /** Whether a metric is read from the rollups (the others come from sessions, signals, comparisons, smoke or Prometheus). */
    public static boolean readsFromRollups(Metric metric) {
        return switch (metric) {
            case ERROR_RATE, CYCLE_TIME_P95_MS, CYCLE_TIME_MAX_MS, MEMORY_BYTES, CPU_PERCENT, CYCLES -> true;
            default -> false;
        };
    }
}
