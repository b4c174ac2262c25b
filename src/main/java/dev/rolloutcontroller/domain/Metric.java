package dev.rolloutcontroller.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The metrics a plan's conditions may name, under their wire names (plans, baselines, journal and
 * webhooks carry the wire name). One closed set, so a switch over it is checked by the compiler.
 */
public enum Metric {
    ERROR_RATE("error_rate", "cycles", true, false),
    CYCLE_TIME_P95_MS("cycle_time_p95_ms", "cycles", false, false),
    CYCLE_TIME_MAX_MS("cycle_time_max_ms", "cycles", false, false),
    MEMORY_BYTES("memory_bytes", "reports", false, false),
    MEMORY_GROWTH("memory_growth", "sessions", false, false),
    CPU_PERCENT("cpu_percent", "reports", false, false),
    SESSIONS_REPORTING("sessions_reporting", "sessions", false, false),
    CYCLES("cycles", "cycles", false, false),
    SUPPORT_TICKETS("support_tickets", "samples", false, true),
    /** The only metric with a category ({@link Vocabulary#SHADOW_CATEGORIES}). */
    SHADOW_MISMATCH_RATE("shadow_mismatch_rate", "comparisons", true, true),
    /** How many of the {@link Vocabulary#CRITICAL_SMOKE_CHECKS} failed last. */
    SMOKE_FAILURES("smoke_failures", "checks", false, true),
    /** The value of a condition's PromQL query ({@code "source": "prometheus"}); the query picks its own path with {{path}}. */
    PROMETHEUS("prometheus", "samples", false, true);

    private final String wireName;
    private final String sampleUnit;
    private final boolean rate;
    private final boolean pathless;

    Metric(String wireName, String sampleUnit, boolean rate, boolean pathless) {
        this.wireName = wireName;
        this.sampleUnit = sampleUnit;
        this.rate = rate;
        this.pathless = pathless;
    }

    public String wireName() {
        return wireName;
    }

    /** What one sample of the metric is: cycles, reports, sessions... */
    public String sampleUnit() {
        return sampleUnit;
    }

    /** Events per sample, judged with Wilson bounds. */
    public boolean rate() {
        return rate;
    }

    /** Not split by path, so "new-path" would mislead. */
    public boolean pathless() {
        return pathless;
    }

    public static Optional<Metric> fromWireName(String name) {
        return Arrays.stream(values()).filter(metric -> metric.wireName.equals(name)).findFirst();
    }

    /** The names a condition's {@code metric} may take: PROMETHEUS is chosen by {@code "source": "prometheus"} instead. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).filter(metric -> metric != PROMETHEUS).map(Metric::wireName).toList();
    }
}
