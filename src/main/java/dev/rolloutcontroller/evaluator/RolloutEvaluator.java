package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.DeploymentCalendar;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.evaluation.CalendarHold;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.EngineAction;
import dev.rolloutcontroller.domain.evaluation.EvaluationInput;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.Replay;
import dev.rolloutcontroller.domain.evaluation.RolloutEngine;
import dev.rolloutcontroller.domain.evaluation.Verdict;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.service.DeploymentCalendars;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.Rollouts;
import dev.rolloutcontroller.service.ServiceException;
import dev.rolloutcontroller.telemetry.WindowStats;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One evaluation pass of one rollout, in one transaction: lock the row, gather the inputs, run the
 * pure engine, apply its decision through {@link RolloutService} and write the journal entry.
 * Because the row is locked for the whole pass, an operator's action and the evaluator's can never
 * both apply to the same version.
 *
 * <p>A pass that fails (a database error, a version race) leaves nothing half-done: its transaction
 * rolls back, and the failure is journaled in a transaction of its own, with the decided action and
 * what went wrong. It is counted ({@code rollout.evaluator.failures}), the first failure of a streak
 * becomes an {@code evaluator.failed} audit event (hence one webhook), and the next pass retries.
 */
@ApplicationScoped
public class RolloutEvaluator {

    static final String ACTOR = RolloutService.EVALUATOR;
    /** The share of reporting sessions on the current version at which a step counts as converged. */
    static final double CONVERGED_SHARE = 0.95;
    static final int MAX_FAILURE = 1000;
    /** The journal's action for the evaluator's start of a scheduled draft (not an engine action). */
    static final String SCHEDULED_START = "START";

    private static final Logger LOG = Logger.getLogger(RolloutEvaluator.class);

    /** What a pass had judged before it failed, so the journal can say what could not be applied. */
    private record Judged(Rollout rollout, Decision decision) {
    }

    private final RolloutService rollouts;
    private final EvaluationInputs inputs;
    private final WindowStats windowStats;
    private final AuditLog auditLog;
    private final EvaluatorMetrics metrics;
    private final RolloutConfig config;
    private final Clock clock;
    private final EvaluatorLease lease;
    private final DeploymentCalendars calendars;

    RolloutEvaluator(RolloutService rollouts, EvaluationInputs inputs, WindowStats windowStats, AuditLog auditLog,
                     EvaluatorMetrics metrics, RolloutConfig config, Clock clock, EvaluatorLease lease,
                     DeploymentCalendars calendars) {
        this.rollouts = rollouts;
        this.inputs = inputs;
        this.windowStats = windowStats;
        this.auditLog = auditLog;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.lease = lease;
        this.calendars = calendars;
    }

    /** An operator's evaluate-now: not fenced by the lease (operators' actions never are). */
    public Optional<EvaluationView> evaluate(String key) {
        return evaluate(key, null);
    }

    /**
     * Evaluates and acts; empty when the rollout is not live (draft, rolled back, or completed past the
     * watch). When applying fails, the journal entry returned carries the failure. With the leader's
     * lease epoch, the pass's transaction first checks that this replica still holds the lease with it,
     * and a {@link EvaluatorLease.LeadershipLostException} ends the pass with nothing applied.
     */
    public Optional<EvaluationView> evaluate(String key, Long leaseEpoch) {
        long started = System.nanoTime();
        AtomicReference<Judged> judged = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> pass(key, leaseEpoch, judged, started));
        } catch (EvaluatorLease.LeadershipLostException e) {
            throw e;
        } catch (ServiceException e) {
            if (e.kind() == ServiceException.Kind.NOT_FOUND) {
                throw e;
            }
            return Optional.of(failed(key, leaseEpoch, judged.get(), e));
        } catch (RuntimeException e) {
            return Optional.of(failed(key, leaseEpoch, judged.get(), e));
        }
    }

    private Optional<EvaluationView> pass(String key, Long leaseEpoch, AtomicReference<Judged> judged, long started) {
        if (leaseEpoch != null) {
            lease.requireHeld(leaseEpoch);
        }
        RolloutEntity row = Rollouts.locked(key);
        Rollout rollout = RolloutMapping.toDomain(row);
        Instant now = clock.instant();
        if (rollout.status() == RolloutStatus.DRAFT && row.startAt != null) {
            return scheduledStart(rollout, row.planVersion, row.startAt, now, leaseEpoch);
        }
        if (!isLive(rollout, now)) {
            return Optional.empty();
        }
        EvaluationInput input = inputs.gather(rollout, now);
        Decision decision = CalendarHold.apply(RolloutEngine.evaluate(input), calendars.of(rollout), now);
        judged.set(new Judged(rollout, decision));
        WindowStats.Convergence convergence = windowStats.convergence(key, rollout.version(),
                now.minus(config.evaluator().convergenceWindow()));
        Instant convergedAt = rollouts.recordConvergence(key,
                convergence.sessionsReporting() > 0 && convergence.share() >= CONVERGED_SHARE, now);
        Optional<EvaluationEntity> previous = inputs.latest(key);
        applyAutomaticDecision(rollout, decision, input);
        if (decision.action() == EngineAction.NONE) {
            announceAwaitedSignOffs(rollout, decision, previous, now);
        }
        EvaluationEntity journal = journal(rollout, row.planVersion, decision, decision.action().name(),
                convergence(convergence, convergedAt), now, null, leaseEpoch);
        metrics.recordEvaluation(decision, Duration.ofNanos(System.nanoTime() - started));
        return Optional.of(EvaluationView.of(journal));
    }

    /**
     * Applies an automatic decision: the one place the evaluator changes a rollout (through the command
     * service, in the pass's transaction, under the row lock taken at its start).
     */
    private void applyAutomaticDecision(Rollout rollout, Decision decision, EvaluationInput input) {
        Map<String, Double> baseline = decision.action() == EngineAction.ADVANCE
                ? RolloutEngine.baselineFrom(rollout, input.stats()) : Map.of();
        rollouts.applyDecision(rollout.key(), decision.action(), rollout.version(), decision.reason(), baseline);
    }

    /**
     * A scheduled draft: before its time, the starting-soon notice once it is due (nothing is journaled); from its
     * time on, the start if the first step's entry gates pass and the calendar allows, else a journal entry saying
     * what is missing, on every pass until it starts or the schedule is cleared.
     */
    private Optional<EvaluationView> scheduledStart(Rollout draft, int planVersion, Instant startAt, Instant now, Long leaseEpoch) {
        List<GateResult> entryGates = RolloutEngine.startGates(inputs.gather(draft, now));
        List<GateResult> open = entryGates.stream().filter(gate -> gate.verdict() != Verdict.PASS).toList();
        if (now.isBefore(startAt)) {
            if (!now.isBefore(startAt.minus(config.evaluator().startingSoonNotice()))) {
                Map<String, Object> openItems = new LinkedHashMap<>();
                List<String> signOffs = open.stream().filter(gate -> gate.kind().equals(Gate.SIGN_OFF))
                        .map(gate -> gate.signOffRole(draft.plan()).orElse(gate.description())).toList();
                List<String> others = open.stream().filter(gate -> !gate.kind().equals(Gate.SIGN_OFF))
                        .map(GateResult::description).toList();
                openItems.put("openSignOffs", signOffs);
                openItems.put("openEntryGates", others);
                rollouts.announceStartingSoon(draft.key(), openItems, open.isEmpty()
                        ? "starts at " + startAt + "; every entry gate passes now"
                        : "starts at " + startAt + "; still open: " + describeGates(open));
            }
            return Optional.empty();
        }
        Optional<DeploymentCalendar.Hold> hold = calendars.of(draft).hold(now);
        String reason;
        String action;
        if (!open.isEmpty()) {
            action = EngineAction.NONE.name();
            reason = "scheduled start at " + startAt + " held: entry gates not passed: " + describeGates(open);
        } else if (hold.isPresent()) {
            action = EngineAction.NONE.name();
            reason = "scheduled start at " + startAt + " held: " + hold.get().message();
        } else {
            action = SCHEDULED_START;
            reason = "scheduled start at " + startAt + ": every entry gate of the first step passes";
            rollouts.startScheduled(draft.key(), draft.version(), reason);
        }
        Decision decision = new Decision(EngineAction.NONE, reason, List.of(), entryGates, List.of(), Map.of(), false);
        EvaluationEntity entry = journal(draft, planVersion, decision, action, null, now, null, leaseEpoch);
        return Optional.of(EvaluationView.of(entry));
    }

    private static String describeGates(List<GateResult> gates) {
        return String.join("; ", gates.stream().map(gate -> gate.kind() + " '" + gate.description() + "' " + gate.verdict()).toList());
    }

    /** The gates and triggers as they stand now, without acting or journaling (for GET of a rollout). */
    @Transactional
    public Decision preview(Rollout rollout) {
        Instant now = clock.instant();
        return CalendarHold.apply(RolloutEngine.evaluate(inputs.gather(rollout, now)), calendars.of(rollout), now);
    }

    public Optional<EvaluationView> latest(String key) {
        return inputs.latest(key).map(EvaluationView::of);
    }

    public List<EvaluationView> journal(String key, int limit) {
        Rollouts.existing(key);
        return EvaluationEntity.<EvaluationEntity>find("rolloutKey = ?1 order by id desc", key).page(0, limit).list()
                .stream().map(EvaluationView::of).toList();
    }

    boolean isLive(Rollout rollout, Instant now) {
        return Replay.isLive(rollout, now, config.evaluator().watchPeriod());
    }

    /**
     * When every gate but some sign-offs has passed, people are what the rollout waits for: say so
     * once (an event, hence a notification) each time the set of missing roles changes.
     */
    private void announceAwaitedSignOffs(Rollout rollout, Decision decision, Optional<EvaluationEntity> previous, Instant now) {
        List<String> missing = awaitedSignOffs(rollout, decision.exitGates(), decision.entryGates());
        if (missing.isEmpty()) {
            return;
        }
        List<String> before = previous.map(entry -> awaitedSignOffs(rollout, entry.exitGates, entry.entryGates)).orElse(List.of());
        if (!missing.equals(before)) {
            Map<String, Object> state = new LinkedHashMap<>(RolloutService.snapshot(rollout));
            state.put("missingSignOffs", missing);
            auditLog.record(rollout.key(), "rollout.awaiting-sign-off", ACTOR,
                    "every other gate has passed; waiting for sign-off from " + String.join(", ", missing), null, state, now);
        }
    }

    /** The roles still to sign when sign-offs are all that is missing; empty otherwise. */
    static List<String> awaitedSignOffs(Rollout rollout, List<GateResult> exit, List<GateResult> entry) {
        List<GateResult> notPassed = Stream.concat(exit.stream(), entry.stream()).filter(g -> g.verdict() != Verdict.PASS).toList();
        boolean onlySignOffs = notPassed.stream().allMatch(g -> g.kind().equals(Gate.SIGN_OFF) && g.verdict() == Verdict.PENDING);
        if (!onlySignOffs) {
            return List.of();
        }
        return notPassed.stream().map(g -> g.signOffRole(rollout.plan()).orElse(g.description())).sorted().toList();
    }

    // ---- failures ---------------------------------------------------------------------------------------

    private EvaluationView failed(String key, Long leaseEpoch, Judged judged, RuntimeException error) {
        metrics.recordFailure(judged == null ? EngineAction.NONE : judged.decision().action());
        String failure = describe(error);
        try {
            return QuarkusTransaction.requiringNew().call(() -> journalFailure(key, leaseEpoch, judged, failure, error));
        } catch (RuntimeException journalError) {
            LOG.errorf(error, "evaluating rollout %s failed, and journaling the failure failed too (%s); the next pass retries",
                    key, journalError.getMessage());
            throw error;
        }
    }

    private EvaluationView journalFailure(String key, Long leaseEpoch, Judged judged, String failure, RuntimeException error) {
        Instant now = clock.instant();
        Rollout rollout = judged != null ? judged.rollout() : RolloutMapping.toDomain(Rollouts.existing(key));
        Optional<EvaluationEntity> previous = inputs.latest(key);
        Decision decision = judged != null ? judged.decision()
                : new Decision(EngineAction.NONE, "the pass failed before deciding", List.of(), List.of(), List.of(),
                        previous.map(e -> e.streaks).orElse(Map.of()), false);
        EvaluationEntity entry = journal(rollout, Rollouts.existing(key).planVersion, decision, decision.action().name(), null, now,
                failure, leaseEpoch);
        boolean streakStarts = previous.map(e -> e.failure == null).orElse(true);
        String action = decision.action().name();
        if (streakStarts) {
            // The cause is in the message and the journal; the stack trace only at debug, as it says nothing more.
            LOG.errorf("evaluating rollout %s failed (decided %s): %s; journaled, the next pass retries", key, action, failure);
            LOG.debugf(error, "evaluating rollout %s failed", key);
            Map<String, Object> state = new LinkedHashMap<>(RolloutService.snapshot(rollout));
            state.put("decided", action);
            state.put("failure", failure);
            auditLog.record(key, "evaluator.failed", ACTOR, "could not apply " + action + ": " + failure
                    + " (retried on every pass)", null, state, now);
        } else {
            LOG.warnf("evaluating rollout %s failed again (decided %s): %s", key, action, failure);
        }
        return EvaluationView.of(entry);
    }

    /** The innermost message: what the database or the service said, without a stack trace. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() <= MAX_FAILURE ? message : message.substring(0, MAX_FAILURE - 1) + "…";
    }

    // ---- the journal ------------------------------------------------------------------------------------

    private static Map<String, Object> convergence(WindowStats.Convergence convergence, Instant convergedAt) {
        Map<String, Object> converged = new LinkedHashMap<>();
        converged.put("sessionsReporting", convergence.sessionsReporting());
        converged.put("sessionsOnCurrentVersion", convergence.sessionsOnCurrentVersion());
        converged.put("share", convergence.share());
        converged.put("convergedAt", convergedAt == null ? null : convergedAt.toString());
        return converged;
    }

    /** @param action the decision's action, or {@link #SCHEDULED_START} for the start of a scheduled draft */
    private static EvaluationEntity journal(Rollout rollout, int planVersion, Decision decision, String action,
                                            Map<String, Object> convergence,
                                            Instant now, String failure, Long leaseEpoch) {
        EvaluationEntity e = new EvaluationEntity();
        e.planVersion = planVersion;
        e.leaseEpoch = leaseEpoch;
        e.rolloutKey = rollout.key();
        e.evaluatedAt = now;
        e.rolloutVersion = rollout.version();
        e.status = rollout.status().name();
        e.step = rollout.currentStep().name();
        e.action = action;
        e.reason = decision.reason();
        e.readyToAdvance = decision.readyToAdvance();
        e.exitGates = decision.exitGates();
        e.entryGates = decision.entryGates();
        e.triggers = decision.triggers();
        e.streaks = decision.streaks();
        e.convergence = convergence;
        e.failure = failure;
        e.persist();
        return e;
    }
}
