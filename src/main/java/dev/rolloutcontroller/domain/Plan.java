package dev.rolloutcontroller.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered steps of a rollout, the triggers watched throughout it, and when it may start or advance: its
 * weekly deployment windows (none: any time) and its freezes (see {@link DeploymentCalendar}).
 */
public record Plan(List<Step> steps, List<Trigger> triggers, List<DeploymentWindow> deploymentWindows, List<Freeze> freezes) {

    private static final double GIB = 1024d * 1024 * 1024;
    private static final Duration RATE_WINDOW = Duration.ofHours(1);
    private static final Duration TRIGGER_WINDOW = Duration.ofMinutes(10);
    private static final long RATE_SAMPLES = 1000;
    private static final String SMOKE_DESCRIPTION = "Run these tests after each phase";

    public Plan {
        steps = List.copyOf(steps);
        triggers = List.copyOf(triggers);
        deploymentWindows = List.copyOf(deploymentWindows);
        freezes = List.copyOf(freezes);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one step");
        }
    }

    /** A plan that may start and advance at any time. */
    public Plan(List<Step> steps, List<Trigger> triggers) {
        this(steps, triggers, List.of(), List.of());
    }

    public int lastStepIndex() {
        return steps.size() - 1;
    }

    /**
     * The default plan: the user's production rollout checklist, each gate described in the
     * checklist's own words. Steps: optional {@code shadow} (0%, 24 h), {@code canary} (10% plus the
     * canary list, 4 h), {@code gradual} (50%, 8 h), {@code full} (100%, 24 h).
     *
     * <p>Choices the checklist leaves open, made here so noise cannot move a rollout:
     * <ul>
     *   <li>minSamples: 1,000 cycles for error rates and cycle times, 1,000 comparisons for shadow
     *       mismatch rates, 1 report for memory, CPU and smoke results; 0 for support tickets,
     *       because "no ticket filed" is itself the observation, not missing data.</li>
     *   <li>windows: gates on rates, cycle times, CPU and memory look at the last hour (PT1H), so
     *       one bad early hour does not block a step forever; shadow mismatches, memory growth and
     *       support-ticket gates look at the whole step. Triggers look at the last 10 minutes
     *       (PT10M), except support tickets: "≥ 3 within 1 h" (PT1H).</li>
     *   <li>consecutive: 2 evaluations for the cycle-time trigger (a point estimate: a single noisy
     *       tick must not roll back); 1 for the error rate, whose trigger already needs the lower
     *       bound of its 95% Wilson interval over 5%, so one breach is evidence enough and the
     *       rollback comes at the first tick that sees it; 1 for memory, critical smoke failures and
     *       support tickets, which are deliberate signals.</li>
     *   <li>"new error rate ≤ legacy + 0.1 pp" in shadow is relativeTo legacy, factor 1, offset 0.001;
     *       1 GB and 2 GB are read as GiB.</li>
     * </ul>
     */
    public static Plan checklist(boolean shadowStep) {
        List<Step> steps = new ArrayList<>();
        if (shadowStep) {
            steps.add(new Step("shadow", 0, Duration.ofHours(24), true, List.of(), List.of(
                    new Gate.Soak("Validation (24-48 hours)"),
                    mismatch("discovery", Comparison.EQ, 0, "Agent discovery matches between systems"),
                    mismatch("notification", Comparison.EQ, 0, "Notification accuracy confirmed"),
                    mismatch("idle", Comparison.LE, 0.05, "Idle detection consistency verified"),
                    new Gate.MetricGate(relative(Metric.CYCLE_TIME_P95_MS.wireName(), Comparison.LE, "legacy", 1.10, 0, RATE_SAMPLES, RATE_WINDOW),
                            "Performance deltas within acceptable range"),
                    new Gate.MetricGate(absolute(Metric.MEMORY_GROWTH.wireName(), Comparison.LE, 1.10, 1, null),
                            "No memory leaks in extended run"),
                    new Gate.MetricGate(relative(Metric.ERROR_RATE.wireName(), Comparison.LE, "legacy", 1, 0.001, RATE_SAMPLES, RATE_WINDOW),
                            "Error rates comparable"),
                    new Gate.SignOff("qa-lead", "Team signoff on results"))));
        }
        steps.add(new Step("canary", 10, Duration.ofHours(4), false,
                List.of(
                        new Gate.Condition("canary-list-not-empty", "Canary user list identified"),
                        new Gate.SignOff("devops", "Enhanced monitoring enabled")),
                List.of(
                        new Gate.Soak("Validation (4 hours)"),
                        errorRateBelowTenthPercent("Error rates < 0.1%"),
                        p95WithinTenPercentOfBaseline("Performance within 10% of baseline"),
                        noSupportTickets("No support tickets filed"),
                        allSmokeChecks(),
                        new Gate.SignOff("product", "User feedback collected"))));
        steps.add(new Step("gradual", 50, Duration.ofHours(8), false,
                List.of(new Gate.SignOff("tech-lead", "Team approval for expansion")),
                List.of(
                        new Gate.Soak("Validation (8 hours)"),
                        errorRateBelowTenthPercent("Monitor error rates (<0.1%)"),
                        p95WithinTenPercentOfBaseline("Performance scales linearly"),
                        new Gate.MetricGate(absolute(Metric.CPU_PERCENT.wireName(), Comparison.LT, 50, 1, RATE_WINDOW), "Monitor CPU usage (<50%)"),
                        memoryBelowOneGib(),
                        p95Below100Ms(),
                        noSupportTickets("Support team reports no issues"),
                        allSmokeChecks())));
        steps.add(new Step("full", 100, Duration.ofHours(24), false,
                List.of(
                        new Gate.SignOff("qa-lead", "Test results reviewed and approved"),
                        new Gate.SignOff("tech-lead", "Code review and architecture approved"),
                        new Gate.SignOff("devops", "Infrastructure and monitoring ready"),
                        new Gate.SignOff("product", "Business requirements met"),
                        new Gate.SignOff("security", "Security scan passed")),
                List.of(
                        new Gate.Soak("Validation (24 hours)"),
                        errorRateBelowTenthPercent("Monitor error rates (<0.1%)"),
                        p95Below100Ms(),
                        memoryBelowOneGib())));
        List<Trigger> triggers = List.of(
                new Trigger(absolute(Metric.ERROR_RATE.wireName(), Comparison.GT, 0.05, RATE_SAMPLES, TRIGGER_WINDOW),
                        1, TriggerAction.ROLLBACK, "Error rate > 5%"),
                new Trigger(relative(Metric.CYCLE_TIME_P95_MS.wireName(), Comparison.GT, "baseline", 1.5, 0, RATE_SAMPLES, TRIGGER_WINDOW),
                        2, TriggerAction.ROLLBACK, "Performance degradation > 50%"),
                new Trigger(absolute(Metric.MEMORY_BYTES.wireName(), Comparison.GT, 2 * GIB, 1, TRIGGER_WINDOW),
                        1, TriggerAction.ROLLBACK, "Memory usage > 2GB"),
                new Trigger(absolute(Metric.SMOKE_FAILURES.wireName(), Comparison.GT, 0, 1, TRIGGER_WINDOW),
                        1, TriggerAction.ROLLBACK, "Critical functionality broken"),
                new Trigger(absolute(Metric.SUPPORT_TICKETS.wireName(), Comparison.GE, 3, 0, Duration.ofHours(1)),
                        1, TriggerAction.ROLLBACK, "Support tickets spike"));
        return new Plan(steps, triggers);
    }

    private static MetricCondition absolute(String metric, Comparison op, double threshold, long minSamples, Duration window) {
        return new MetricCondition(metric, null, "new", op, threshold, null, 1, 0, minSamples, window);
    }

    private static MetricCondition relative(
            String metric, Comparison op, String relativeTo, double factor, double offset, long minSamples, Duration window) {
        return new MetricCondition(metric, null, "new", op, null, relativeTo, factor, offset, minSamples, window);
    }

    private static Gate mismatch(String category, Comparison op, double threshold, String description) {
        return new Gate.MetricGate(
                new MetricCondition(Metric.SHADOW_MISMATCH_RATE.wireName(), category, "new", op, threshold, null, 1, 0, RATE_SAMPLES, null),
                description);
    }

    private static Gate errorRateBelowTenthPercent(String description) {
        return new Gate.MetricGate(absolute(Metric.ERROR_RATE.wireName(), Comparison.LT, 0.001, RATE_SAMPLES, RATE_WINDOW), description);
    }

    private static Gate p95WithinTenPercentOfBaseline(String description) {
        return new Gate.MetricGate(
                relative(Metric.CYCLE_TIME_P95_MS.wireName(), Comparison.LE, "baseline", 1.10, 0, RATE_SAMPLES, RATE_WINDOW), description);
    }

    private static Gate p95Below100Ms() {
        return new Gate.MetricGate(
                absolute(Metric.CYCLE_TIME_P95_MS.wireName(), Comparison.LT, 100, RATE_SAMPLES, RATE_WINDOW), "Monitor cycle times (<100ms)");
    }

    private static Gate memoryBelowOneGib() {
        return new Gate.MetricGate(absolute(Metric.MEMORY_BYTES.wireName(), Comparison.LT, GIB, 1, RATE_WINDOW), "Monitor memory usage (<1GB)");
    }

    private static Gate noSupportTickets(String description) {
        return new Gate.MetricGate(absolute(Metric.SUPPORT_TICKETS.wireName(), Comparison.EQ, 0, 0, null), description);
    }

    private static Gate allSmokeChecks() {
        return new Gate.Smoke(Vocabulary.SMOKE_CHECKS, SMOKE_DESCRIPTION);
    }
}
