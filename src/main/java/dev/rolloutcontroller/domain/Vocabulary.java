package dev.rolloutcontroller.domain;

import java.util.List;

/** The closed vocabularies a plan may speak; validation messages list them as the allowed values. */
public final class Vocabulary {

    public static final List<String> SIGN_OFF_ROLES = List.of("qa-lead", "tech-lead", "devops", "product", "security");

    /**
     * Aggregates the evaluator computes per path. {@code smoke_failures} counts the
     * {@link #CRITICAL_SMOKE_CHECKS} whose latest result failed; {@code support_tickets},
     * {@code smoke_failures} and {@code shadow_mismatch_rate} are not split by path.
     */
    public static final List<String> METRICS = Metric.wireNames();

    /** The only metric that needs a {@link #SHADOW_CATEGORIES category}. */
    public static final String SHADOW_MISMATCH_RATE = Metric.SHADOW_MISMATCH_RATE.wireName();

    public static final List<String> PATHS = List.of("new", "legacy");

    public static final List<String> SMOKE_CHECKS =
            List.of("agent-discovery", "idle-detection", "notification-delivery", "pm-recovery", "performance");

    /** The checklist's "critical functionality": a failure of one of these rolls back. */
    public static final List<String> CRITICAL_SMOKE_CHECKS =
            List.of("agent-discovery", "idle-detection", "notification-delivery", "pm-recovery");

    public static final List<String> SHADOW_CATEGORIES = List.of("discovery", "idle", "notification");

    public static final List<String> CONDITIONS = List.of("canary-list-not-empty");

    /** Where a metric gate or trigger reads its figure: the daemons' reports (the default) or a Prometheus query. */
    public static final List<String> SOURCES = List.of("reports", "prometheus");

    public static final List<String> RELATIVE_TO = List.of("baseline", "legacy");

    public static final List<String> GATE_KINDS = List.of(Gate.SOAK, Gate.SIGN_OFF, Gate.METRIC, Gate.SMOKE, Gate.CONDITION);

    private Vocabulary() {
    }
}
