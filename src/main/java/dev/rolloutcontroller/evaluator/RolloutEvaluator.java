package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.EngineAction;
import dev.rolloutcontroller.domain.evaluation.EvaluationInput;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.RolloutEngine;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import dev.rolloutcontroller.domain.evaluation.Verdict;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.persistence.BaselineEntity;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.RolloutService.StoredRollout;
import dev.rolloutcontroller.service.Rollouts;
import dev.rolloutcontroller.service.ServiceException;
import dev.rolloutcontroller.telemetry.PrometheusQueries;
import dev.rolloutcontroller.telemetry.WindowStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Evaluates one rollout in one transaction: lock the row, gather the window statistics, run the
 * pure engine, apply its decision through {@link RolloutService} (version-checked, audited) and
 * write the journal entry. Because the row is locked for the whole pass, an operator's action and
 * the evaluator's can never both apply to the same version.
 */
@ApplicationScoped
public class RolloutEvaluator {

    static final String ACTOR = "evaluator";
    /** The share of reporting sessions on the current version at which a step counts as converged. */
    static final double CONVERGED_SHARE = 0.95;

    private final RolloutService rollouts;
    private final WindowStats windowStats;
    private final PrometheusQueries prometheus;
    private final SignOffService signOffs;
    private final AuditLog auditLog;
    private final EvaluatorMetrics metrics;
    private final RolloutConfig config;
    private final Clock clock;

    RolloutEvaluator(RolloutService rollouts, WindowStats windowStats, PrometheusQueries prometheus, SignOffService signOffs,
                     AuditLog auditLog, EvaluatorMetrics metrics, RolloutConfig config, Clock clock) {
        this.rollouts = rollouts;
        this.windowStats = windowStats;
        this.prometheus = prometheus;
        this.signOffs = signOffs;
        this.auditLog = auditLog;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** Evaluates and acts; empty when the rollout is not live (draft, rolled back, or completed past the watch). */
    @Transactional
    public Optional<EvaluationEntity> evaluate(String key) {
        long started = System.nanoTime();
        RolloutEntity row = Rollouts.locked(key);
        Rollout rollout = RolloutMapping.toDomain(row);
        Instant now = clock.instant();
        if (!isLive(rollout, now)) {
            return Optional.empty();
        }
        EvaluationInput input = gather(rollout, now);
        Decision decision = RolloutEngine.evaluate(input);
        WindowStats.Convergence convergence = windowStats.convergence(key, rollout.version(),
                now.minus(config.evaluator().convergenceWindow()));
        if (row.convergedAt == null && convergence.sessionsReporting() > 0 && convergence.share() >= CONVERGED_SHARE) {
            row.convergedAt = now;
        }
        apply(row, rollout, decision, input);
        EvaluationEntity journal = journal(rollout, decision, convergence, row, now);
        metrics.recordEvaluation(decision, Duration.ofNanos(System.nanoTime() - started));
        return Optional.of(journal);
    }

    /**
     * An operator's advance: allowed when every gate passes, or when forced with a reason (which
     * passes failing or pending gates, never a breached trigger).
     */
    @Transactional
    public StoredRollout advanceByOperator(String key, Long expectedVersion, String reason, boolean force, String actor) {
        Rollout rollout = RolloutMapping.toDomain(Rollouts.locked(key));
        if (rollout.status() == RolloutStatus.ACTIVE && (expectedVersion == null || expectedVersion == rollout.version())) {
            EvaluationInput input = gather(rollout, clock.instant());
            Decision decision = RolloutEngine.evaluate(input);
            if (isTriggerAction(decision.action())) {
                throw new ServiceException(ServiceException.Kind.CONFLICT,
                        "cannot advance while a trigger is breached: " + decision.reason())
                        .with("triggers", decision.triggers().stream().filter(t -> t.fired()).toList());
            }
            List<GateResult> notPassed = Stream.concat(decision.exitGates().stream(), decision.entryGates().stream())
                    .filter(g -> g.verdict() != Verdict.PASS).toList();
            if (!notPassed.isEmpty() && !force) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, notPassed.size()
                        + " gate(s) have not passed; wait for them, or send {\"force\": true, \"reason\": \"...\"} to override")
                        .with("gates", notPassed);
            }
            captureBaseline(rollout, input.stats());
        }
        return rollouts.act(key, Action.ADVANCE, expectedVersion, reason, force, actor);
    }

    /**
     * An operator's start: the first step's entry gates (e.g. canary list not empty, devops sign-off)
     * must pass, unless forced with a reason.
     */
    @Transactional
    public StoredRollout startByOperator(String key, Long expectedVersion, String reason, boolean force, String actor) {
        Rollout rollout = RolloutMapping.toDomain(Rollouts.locked(key));
        if (rollout.status() == RolloutStatus.DRAFT && !force
                && (expectedVersion == null || expectedVersion == rollout.version())) {
            List<GateResult> notPassed = RolloutEngine.startGates(gather(rollout, clock.instant())).stream()
                    .filter(g -> g.verdict() != Verdict.PASS).toList();
            if (!notPassed.isEmpty()) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, notPassed.size() + " entry gate(s) of step '"
                        + rollout.currentStep().name() + "' have not passed; satisfy them, or send "
                        + "{\"force\": true, \"reason\": \"...\"} to override").with("gates", notPassed);
            }
        }
        return rollouts.act(key, Action.START, expectedVersion, reason, force, actor);
    }

    /** The gates and triggers as they stand now, without acting or journaling (for GET of a rollout). */
    @Transactional
    public Decision preview(Rollout rollout) {
        return RolloutEngine.evaluate(gather(rollout, clock.instant()));
    }

    public Optional<EvaluationEntity> latest(String key) {
        return EvaluationEntity.find("rolloutKey = ?1 order by id desc", key).firstResultOptional();
    }

    public List<EvaluationEntity> journal(String key, int limit) {
        Rollouts.existing(key);
        return EvaluationEntity.find("rolloutKey = ?1 order by id desc", key).page(0, limit).list();
    }

    boolean isLive(Rollout rollout, Instant now) {
        return switch (rollout.status()) {
            case ACTIVE, PAUSED -> true;
            case COMPLETED -> rollout.updatedAt().plus(config.evaluator().watchPeriod()).isAfter(now);
            case DRAFT, ROLLED_BACK -> false;
        };
    }

    private EvaluationInput gather(Rollout rollout, Instant now) {
        Set<StatKey> keys = RolloutEngine.requiredStats(rollout);
        Map<StatKey, Observation> stats = new HashMap<>(windowStats.observe(rollout, keys, now));
        stats.putAll(prometheus.observe(rollout, keys, now));
        Map<String, Double> baseline = Optional.ofNullable(BaselineEntity.<BaselineEntity>findById(rollout.key()))
                .map(b -> b.metrics).orElse(Map.of());
        Map<Integer, Integer> streaks = latest(rollout.key()).map(e -> e.streaks).orElse(Map.of());
        return new EvaluationInput(rollout, now, stats, signOffs.activeByStep(rollout.key()),
                windowStats.latestSmoke(rollout.key(), rollout.stepEnteredAt()), baseline, streaks,
                config.evaluator().watchPeriod());
    }

    private void apply(RolloutEntity row, Rollout rollout, Decision decision, EvaluationInput input) {
        switch (decision.action()) {
            case ADVANCE -> {
                captureBaseline(rollout, input.stats());
                rollouts.act(rollout.key(), Action.ADVANCE, rollout.version(), decision.reason(), false, ACTOR);
            }
            case ROLLBACK -> rollouts.act(rollout.key(), Action.ROLLBACK, rollout.version(), decision.reason(), false, ACTOR);
            case STEP_BACK -> rollouts.act(rollout.key(), Action.STEP_BACK, rollout.version(), decision.reason(), false, ACTOR);
            case PAUSE -> rollouts.act(rollout.key(), Action.PAUSE, rollout.version(), decision.reason(), false, ACTOR);
            case MARK_READY -> {
                if (!row.readyToAdvance) {
                    row.readyToAdvance = true;
                    auditLog.record(rollout.key(), "rollout.ready-to-advance", ACTOR, decision.reason(),
                            null, RolloutService.snapshot(rollout), input.now());
                }
            }
            case NONE -> {
                row.readyToAdvance = false;
                announceAwaitedSignOffs(rollout, decision, input.now());
            }
        }
    }

    /**
     * When every gate but some sign-offs has passed, people are what the rollout waits for: say so
     * once (an event, hence a notification) each time the set of missing roles changes.
     */
    private void announceAwaitedSignOffs(Rollout rollout, Decision decision, Instant now) {
        List<String> missing = awaitedSignOffs(rollout, decision.exitGates(), decision.entryGates());
        if (missing.isEmpty()) {
            return;
        }
        List<String> before = latest(rollout.key())
                .map(previous -> awaitedSignOffs(rollout, previous.exitGates, previous.entryGates)).orElse(List.of());
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

    /** The new path's figures of the step being left become the baseline of the next one. */
    private void captureBaseline(Rollout rollout, Map<StatKey, Observation> stats) {
        Map<String, Double> values = RolloutEngine.baselineFrom(rollout, stats);
        if (values.isEmpty()) {
            return;
        }
        BaselineEntity baseline = BaselineEntity.findById(rollout.key());
        if (baseline == null) {
            baseline = new BaselineEntity();
            baseline.rolloutKey = rollout.key();
            baseline.metrics = new LinkedHashMap<>();
        } else {
            baseline.metrics = new LinkedHashMap<>(baseline.metrics);
        }
        baseline.metrics.putAll(values);
        baseline.source = "auto";
        baseline.step = rollout.currentStep().name();
        baseline.capturedAt = clock.instant();
        baseline.persist();
    }

    private EvaluationEntity journal(Rollout rollout, Decision decision, WindowStats.Convergence convergence,
                                     RolloutEntity row, Instant now) {
        EvaluationEntity e = new EvaluationEntity();
        e.rolloutKey = rollout.key();
        e.evaluatedAt = now;
        e.rolloutVersion = rollout.version();
        e.status = rollout.status().name();
        e.step = rollout.currentStep().name();
        e.action = decision.action().name();
        e.reason = decision.reason().length() > 4000 ? decision.reason().substring(0, 4000) : decision.reason();
        e.readyToAdvance = decision.readyToAdvance();
        e.exitGates = decision.exitGates();
        e.entryGates = decision.entryGates();
        e.triggers = decision.triggers();
        e.streaks = decision.streaks();
        Map<String, Object> converged = new LinkedHashMap<>();
        converged.put("sessionsReporting", convergence.sessionsReporting());
        converged.put("sessionsOnCurrentVersion", convergence.sessionsOnCurrentVersion());
        converged.put("share", convergence.share());
        converged.put("convergedAt", row.convergedAt == null ? null : row.convergedAt.toString());
        e.convergence = converged;
        e.persist();
        return e;
    }

    private static boolean isTriggerAction(EngineAction action) {
        return action == EngineAction.ROLLBACK || action == EngineAction.STEP_BACK || action == EngineAction.PAUSE;
    }
}
