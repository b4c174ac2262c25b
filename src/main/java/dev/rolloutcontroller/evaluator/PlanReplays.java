package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.config.SchedulerPeriod;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.evaluation.RecordedTelemetry;
import dev.rolloutcontroller.domain.evaluation.Replay;
import dev.rolloutcontroller.persistence.BaselineEntity;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.persistence.SignOffEntity;
import dev.rolloutcontroller.service.DeploymentCalendars;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.Rollouts;
import dev.rolloutcontroller.service.ServiceException;
import dev.rolloutcontroller.telemetry.RecordedTelemetryReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What-if replays: loads a rollout's records of a period once (telemetry, sign-offs, audit events, journal) and
 * runs {@link Replay} over them, which judges every pass with the evaluator's own engine. Reads only: nothing is
 * changed, journaled or announced.
 */
@ApplicationScoped
public class PlanReplays {

    /** The longest period one replay covers (60,480 passes at the default 10 s cadence). */
    public static final Duration MAX_RANGE = Duration.ofDays(7);
    /** The period replayed when none is given, and by a dry run of a plan edit. */
    public static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    /** The most runs a replay lists. */
    static final int MAX_RUNS = 1000;

    private final RolloutService rollouts;
    private final DeploymentCalendars calendars;
    private final RecordedTelemetryReader telemetry;
    private final RolloutConfig config;
    private final Clock clock;

    PlanReplays(RolloutService rollouts, RecordedTelemetryReader telemetry, RolloutConfig config, Clock clock,
                DeploymentCalendars calendars) {
        this.rollouts = rollouts;
        this.calendars = calendars;
        this.telemetry = telemetry;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Replays {@code spec} (null: the plan in force) over {@code [from, to]}; null bounds default to the last
     * {@link #DEFAULT_RANGE}. A 400 names {@code from}, {@code to} or the plan's field at fault.
     */
    @Transactional
    public ReplayView replay(String key, PlanSpec spec, Instant from, Instant to) {
        RolloutEntity row = Rollouts.existing(key);
        Rollout stored = RolloutMapping.toDomain(row);
        Plan plan = spec == null ? stored.plan() : RolloutService.validPlan(spec);
        Instant end = to == null ? clock.instant() : to;
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : from;
        requireRange(start, end);
        Duration interval = SchedulerPeriod.parse(config.evaluator().interval());

        List<Replay.RecordedEvent> events = EventEntity.<EventEntity>find(
                        "rolloutKey = ?1 and occurredAt <= ?2 order by occurredAt, id", key, end).stream()
                .map(PlanReplays::recorded).toList();
        Instant stepEnteredAt = Replay.stateAt(stored, plan, events, start).stepEnteredAt();
        Instant lookback = start.minus(Replay.longestWindow(plan));
        RecordedTelemetry recorded = telemetry.read(key, stepEnteredAt.isBefore(lookback) ? stepEnteredAt : lookback, end);
        List<Replay.SignOffRecord> signOffs = SignOffEntity.<SignOffEntity>list("rolloutKey", key).stream()
                .map(s -> new Replay.SignOffRecord(s.step, s.role, s.signedAt, s.withdrawnAt)).toList();
        BaselineEntity baseline = BaselineEntity.findById(key);
        Map<String, Double> baselineAtStart = baseline != null && !baseline.capturedAt.isAfter(start) ? baseline.metrics : Map.of();
        List<Replay.JournalEntry> journal = EvaluationEntity.getEntityManager().createQuery("""
                        select e.evaluatedAt, e.status, e.step, e.action, e.planVersion from EvaluationEntity e
                        where e.rolloutKey = ?1 and e.evaluatedAt >= ?2 and e.evaluatedAt < ?3 order by e.evaluatedAt, e.id""",
                        Object[].class)
                .setParameter(1, key).setParameter(2, start).setParameter(3, end.plus(interval))
                .getResultStream()
                .map(r -> new Replay.JournalEntry((Instant) r[0], (String) r[1], (String) r[2], (String) r[3], (Integer) r[4]))
                .toList();

        Replay.Result result = Replay.run(new Replay.Input(stored, plan, start, end, interval, config.evaluator().watchPeriod(),
                recorded, signOffs, events, baselineAtStart, journal, MAX_RUNS, calendars.serviceFreezes()));
        return new ReplayView(key, spec == null ? "current" : "submitted", spec == null ? row.planVersion : null, start, end,
                interval.toString(), result.passes(), ReplayView.Position.of(result.start()), ReplayView.Position.of(result.end()),
                result.runs().stream().map(ReplayView.Run::of).toList(), result.truncated(),
                ReplayView.Difference.of(result.firstDifference()), result.replayedActions(), result.actualActions(),
                result.operatorActionsApplied(), result.operatorActionsSkipped(), limits(plan, baseline, start));
    }

    private void requireRange(Instant start, Instant end) {
        List<FieldError> errors = new ArrayList<>();
        if (end.isAfter(clock.instant())) {
            errors.add(new FieldError("to", "must not be in the future: a replay reads what was recorded"));
        }
        if (!start.isBefore(end)) {
            errors.add(new FieldError("from", "must be before to"));
        } else if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            errors.add(new FieldError("from", "at most " + MAX_RANGE.toDays() + " days before to"));
        }
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
    }

    private static Replay.RecordedEvent recorded(EventEntity event) {
        Map<String, Object> before = event.before == null ? Map.of() : event.before;
        Map<String, Object> after = event.after == null ? Map.of() : event.after;
        Object canary = after.get("canarySessions");
        return new Replay.RecordedEvent(event.occurredAt, event.type, RolloutService.EVALUATOR.equals(event.actor),
                after.get("status") instanceof String status ? status : null, index(before.get("stepIndex")),
                index(after.get("stepIndex")),
                canary instanceof List<?> list ? list.stream().map(String::valueOf).toList() : null);
    }

    private static Integer index(Object value) {
        return value instanceof Number number ? number.intValue() : null;
    }

    /** What this replay could not reproduce, said plainly for the reader of its result. */
    private static List<String> limits(Plan plan, BaselineEntity baseline, Instant start) {
        List<String> limits = new ArrayList<>();
        limits.add("sign-offs count as recorded (given and withdrawn at their times); a simulated step-back does not withdraw them");
        limits.add("trigger streaks start at 0 at 'from'");
        limits.add("a pass sees the whole of its current minute's rollups (live, only the reports received so far) and the "
                + "whole of a window's first minute (live, from the window's exact start): a window shorter than a minute, such as "
                + "the newest stretches of a rate trigger's window, holds more reports than it did live, so a regression can be "
                + "decided a little later than it was");
        limits.add("operators' actions apply when the simulated rollout is where the operator acted; the others are counted "
                + "in operatorActionsSkipped");
        Set<String> unreplayed = Replay.unreplayedMetrics(plan);
        if (!unreplayed.isEmpty()) {
            limits.add("not replayed, so their gates stay pending and their triggers unbreached: " + String.join(", ", unreplayed)
                    + " (per-session state keeps only each session's latest report; Prometheus is not asked about the past)");
        }
        if (baseline != null && baseline.capturedAt.isAfter(start)) {
            limits.add("the stored baseline was captured after 'from' and only the latest is kept, so the replay starts "
                    + "without one until its first simulated advance");
        }
        return limits;
    }
}
