package dev.rolloutcontroller.sim;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.FlagRules;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Transition;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.EngineAction;
import dev.rolloutcontroller.domain.evaluation.EvaluationInput;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.RolloutEngine;
import dev.rolloutcontroller.domain.evaluation.SmokeResult;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.domain.evaluation.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One rollout of the checklist's default plan, judged by the pure engine ({@link RolloutEngine#evaluate}) on
 * synthetic window statistics, with no service and no HTTP. The fleet is modelled per path, in the 10-second chunks
 * daemons report in, folded into per-minute rollups and read over the same windows the service uses (a window
 * starts at the minute its start falls in; gates never reach back before the step was entered). The rollout moves
 * through {@link RolloutStateMachine} on the engine's decisions; the baseline is captured at each advance and the
 * trigger streaks are carried, exactly as the evaluator does.
 *
 * <p>The noise, all seeded: sessions differ (log-normal speed σ 0.2, error propensity σ 0.5, memory σ 0.1); errors
 * come in bursts (each path's error rate is multiplied by a Gamma(4, ¼) factor drawn per minute); cycle-time p95 per
 * chunk is log-normal around the group's mean with σ 0.15/√sessions, follows a ±5% daily cycle, and one chunk in 200
 * a host of 10 sessions hiccups at 3× its cycle time.
 */
final class SyntheticRollout {

    enum Fault { NONE, ERROR_RATE, CYCLE_TIME }

    /**
     * @param completedAfter       from start to COMPLETED; null when it did not complete (or ran with a fault)
     * @param triggerAction        the first trigger action taken (rollback, step-back, pause); null when none
     * @param injectedAfter        from the start to the injection; null without a fault
     * @param stepAtInjection      where the rollout was when the fault went in; null without a fault
     * @param minSampleAfter       from the injection until the new path had reported the minimum sample since it
     * @param actedAfterMinSample  from that moment to the trigger's action; zero when it acted before that moment
     * @param failedAfterMinSample from that moment to the first FAIL of the gate on the faulty metric
     * @param advancedAfterInjection whether the rollout advanced to another step (or completed) with the fault in
     */
    record Outcome(Duration completedAfter, String triggerAction, String firedMetric, Duration injectedAfter, String stepAtInjection,
                   Duration minSampleAfter, Duration actedAfterMinSample, Duration failedAfterMinSample,
                   boolean advancedAfterInjection) {
    }

    static final Duration CHUNK = Duration.ofSeconds(10);
    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    static final long MIN_SAMPLE = 1000;
    static final double P95_MS = 45;
    static final double MEMORY_BYTES = 200d * 1024 * 1024;
    static final double CPU_PERCENT = 4;

    private final DecisionQuality.Settings settings;
    private final Fault fault;
    private final double magnitude;
    private final Instant injectAt;
    private final SplittableRandom random;

    private final List<String> sessions = new ArrayList<>();
    private final double[] speed;
    private final double[] errorFactor;
    private final double[] memoryFactor;
    private final Set<String> canary = new LinkedHashSet<>();
    private final Map<String, PathData> paths = Map.of(FleetSimulator.NEW, new PathData(), FleetSimulator.LEGACY, new PathData());

    private Rollout rollout;
    private final Map<String, Double> baseline = new LinkedHashMap<>();
    private Map<Integer, Integer> streaks = Map.of();

    /** @param injectAfter when the fault goes in, from the start (ignored without a fault) */
    SyntheticRollout(DecisionQuality.Settings settings, Fault fault, double magnitude, Duration injectAfter, long seed) {
        this.settings = settings;
        this.fault = fault;
        this.magnitude = magnitude;
        this.injectAt = T0.plus(injectAfter).truncatedTo(ChronoUnit.SECONDS);
        this.random = new SplittableRandom(seed);
        int n = settings.sessions();
        speed = new double[n];
        errorFactor = new double[n];
        memoryFactor = new double[n];
        for (int i = 0; i < n; i++) {
            String id = "session-" + seed + "-" + i;
            sessions.add(id);
            if (i < settings.canary()) {
                canary.add(id);
            }
            speed[i] = Math.exp(0.2 * random.nextGaussian());
            errorFactor[i] = Math.exp(0.5 * random.nextGaussian() - 0.125);
            memoryFactor[i] = Math.exp(0.1 * random.nextGaussian());
        }
    }

    Outcome run() {
        Rollout draft = Rollout.draft("quality", "", Plan.checklist(false), List.copyOf(canary), true, EnvMapping.DEFAULT, null, T0);
        rollout = applied(draft, Action.START, T0);
        regroup();
        boolean faulty = fault != Fault.NONE;
        Instant horizon = faulty ? injectAt.plus(settings.detectionHorizon()) : T0.plus(settings.healthyHorizon());
        Instant chunkEnd = T0.plus(CHUNK);
        Instant now = T0;
        String stepAtInjection = null;
        long newCyclesSinceInjection = 0;
        Instant minSampleAt = null;
        Instant failedAt = null;
        boolean advancedAfterInjection = false;
        while (now.isBefore(horizon)) {
            boolean injected = faulty && !now.isBefore(injectAt);
            now = now.plus(injected ? settings.detectionInterval() : settings.interval());
            if (faulty && stepAtInjection == null && !now.isBefore(injectAt)) {
                stepAtInjection = rollout.currentStep().name() + " (" + rollout.percentage() + "%)";
            }
            for (; !chunkEnd.isAfter(now); chunkEnd = chunkEnd.plus(CHUNK)) {
                long newCycles = chunk(chunkEnd);
                if (faulty && !chunkEnd.minus(CHUNK).isBefore(injectAt)) {
                    newCyclesSinceInjection += newCycles;
                }
            }
            if (faulty && minSampleAt == null && newCyclesSinceInjection >= MIN_SAMPLE) {
                minSampleAt = now;
            }
            Map<StatKey, Observation> stats = stats(now);
            Decision decision = RolloutEngine.evaluate(new EvaluationInput(rollout, now, stats, signOffs(), smoke(now), baseline,
                    streaks, null));
            streaks = decision.streaks();
            if (faulty && !now.isBefore(injectAt) && failedAt == null && faultyGateFailed(decision)) {
                failedAt = now;
            }
            switch (decision.action()) {
                case ADVANCE -> {
                    baseline.putAll(RolloutEngine.baselineFrom(rollout, stats));
                    rollout = applied(rollout, Action.ADVANCE, now);
                    regroup();
                    advancedAfterInjection |= faulty && !now.isBefore(injectAt);
                    if (rollout.status() == RolloutStatus.COMPLETED && !faulty) {
                        return new Outcome(Duration.between(T0, now), null, null, null, null, null, null, null, false);
                    }
                }
                case ROLLBACK, STEP_BACK, PAUSE -> {
                    String fired = decision.triggers().stream().filter(TriggerResult::fired).map(TriggerResult::metric)
                            .findFirst().orElse(null);
                    // A stretch with the trigger's minimum sample may also hold healthy cycles from before the
                    // injection, so a clear fault can be acted on before 1,000 of its own cycles: no delay.
                    Duration acted = faulty && minSampleAt == null && !now.isBefore(injectAt) ? Duration.ZERO : since(minSampleAt, now);
                    return new Outcome(null, decision.action().name(), fired, injectedAfter(), stepAtInjection, since(injectAt, minSampleAt),
                            acted, since(minSampleAt, failedAt), advancedAfterInjection);
                }
                case NONE, MARK_READY -> {
                }
            }
        }
        return new Outcome(null, null, null, injectedAfter(), stepAtInjection,
                since(injectAt, minSampleAt), null, since(minSampleAt, failedAt), advancedAfterInjection);
    }

    private Duration injectedAfter() {
        return fault == Fault.NONE ? null : Duration.between(T0, injectAt);
    }

    private static Duration since(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to);
    }

    private static Rollout applied(Rollout rollout, Action action, Instant now) {
        return ((Transition.Applied) RolloutStateMachine.apply(rollout, action, now)).rollout();
    }

    /** Whether the current step's gate on the faulty metric failed in this evaluation. */
    private boolean faultyGateFailed(Decision decision) {
        String metric = fault == Fault.ERROR_RATE ? "error_rate" : "cycle_time_p95_ms";
        List<Gate> gates = rollout.currentStep().exitGates();
        for (GateResult result : decision.exitGates()) {
            Gate gate = gates.get(result.index());
            if (gate instanceof Gate.MetricGate metricGate && metricGate.condition().metric().equals(metric)
                    && result.verdict() == Verdict.FAIL) {
                return true;
            }
        }
        return false;
    }

    /** Every role signed every step: the run measures the data gates, not people. */
    private Map<String, Set<String>> signOffs() {
        Map<String, Set<String>> all = new HashMap<>();
        rollout.plan().steps().forEach(step -> all.put(step.name(), Set.copyOf(Vocabulary.SIGN_OFF_ROLES)));
        return all;
    }

    /** Smoke checks run 10 s after each step is entered, and pass. */
    private Map<String, SmokeResult> smoke(Instant now) {
        Instant ran = rollout.stepEnteredAt().plus(CHUNK);
        Map<String, SmokeResult> latest = new HashMap<>();
        if (!now.isBefore(ran)) {
            Vocabulary.SMOKE_CHECKS.forEach(check -> latest.put(check, new SmokeResult(check, true, ran)));
        }
        return latest;
    }

    // ---- the fleet

    /** Which sessions run which path, after a transition. */
    private void regroup() {
        paths.values().forEach(PathData::clearGroup);
        for (int i = 0; i < sessions.size(); i++) {
            boolean onNew = FlagRules.decide(rollout, canary, sessions.get(i)).enabled();
            PathData path = paths.get(onNew ? FleetSimulator.NEW : FleetSimulator.LEGACY);
            path.sessions++;
            path.speedSum += speed[i];
            path.errorFactorSum += errorFactor[i];
            path.memoryFactorMax = Math.max(path.memoryFactorMax, memoryFactor[i]);
        }
    }

    /** One 10-second chunk of reports ending at {@code end}, for both paths; returns the new path's cycles. */
    private long chunk(Instant end) {
        boolean faultIn = fault != Fault.NONE && !end.minus(CHUNK).isBefore(injectAt);
        int minute = (int) Duration.between(T0, end).toMinutes();
        long newCycles = 0;
        for (Map.Entry<String, PathData> entry : paths.entrySet()) {
            PathData path = entry.getValue();
            boolean isNew = entry.getKey().equals(FleetSimulator.NEW);
            if (path.burstMinute != minute) {
                path.burstMinute = minute;
                double product = 1;
                for (int k = 0; k < 4; k++) {
                    product *= 1 - random.nextDouble();
                }
                path.burst = -Math.log(product) / 4;
            }
            if (path.sessions == 0) {
                continue;
            }
            int n = path.sessions;
            long cycles = ReportModel.poisson(random, n * settings.cyclesPerSecond() * CHUNK.toSeconds());
            double errorRate = isNew && faultIn && fault == Fault.ERROR_RATE ? magnitude
                    : Math.min(1, settings.healthyErrorRate() * path.errorFactorSum / n * path.burst);
            long errors = ReportModel.binomial(random, cycles, errorRate);
            double hours = Duration.between(T0, end).toSeconds() / 3600.0;
            double p95 = P95_MS * path.speedSum / n * (1 + 0.05 * Math.sin(2 * Math.PI * hours / 24))
                    * Math.exp(0.15 / Math.sqrt(n) * random.nextGaussian());
            if (random.nextDouble() < 0.005) {
                p95 *= 1 + 2 * Math.min(1, 10.0 / n);
            }
            if (isNew && faultIn && fault == Fault.CYCLE_TIME) {
                p95 *= magnitude;
            }
            double memory = MEMORY_BYTES * path.memoryFactorMax * (1 + 0.02 * Math.abs(random.nextGaussian()));
            double cpu = n * CPU_PERCENT * (1 + 0.1 * random.nextGaussian());
            path.add(minute, n, cycles, errors, p95 * cycles, memory, cpu);
            if (isNew) {
                newCycles = cycles;
            }
        }
        return newCycles;
    }

    // ---- the window statistics, as the service computes them

    private Map<StatKey, Observation> stats(Instant now) {
        Map<StatKey, Observation> stats = new HashMap<>();
        for (StatKey key : RolloutEngine.requiredStats(rollout)) {
            Instant from = key.window() == null ? rollout.stepEnteredAt() : now.minus(key.window());
            if (key.window() != null && key.boundedByStep() && from.isBefore(rollout.stepEnteredAt())) {
                from = rollout.stepEnteredAt();
            }
            int fromMinute = (int) Math.max(0, Math.floorDiv(Duration.between(T0, from).toSeconds(), 60));
            stats.put(key, observe(key, paths.get(key.path()), fromMinute, from, now));
        }
        return stats;
    }

    private Observation observe(StatKey key, PathData path, int fromMinute, Instant from, Instant now) {
        return switch (key.metric()) {
            case "error_rate" -> path.reports(fromMinute) == 0 ? Observation.EMPTY
                    : Observation.rate(path.sum(PathData.ERRORS, fromMinute), path.sum(PathData.CYCLES, fromMinute));
            case "cycle_time_p95_ms" -> {
                long cycles = path.sum(PathData.CYCLES, fromMinute);
                yield cycles == 0 ? Observation.EMPTY : Observation.of(path.sumDouble(PathData.P95_WEIGHTED, fromMinute) / cycles, cycles);
            }
            case "memory_bytes" -> Observation.of(path.max(PathData.MEMORY_MAX, fromMinute), path.reports(fromMinute));
            case "cpu_percent" -> {
                long reports = path.reports(fromMinute);
                yield reports == 0 ? Observation.EMPTY : Observation.of(path.sumDouble(PathData.CPU_SUM, fromMinute) / reports, reports);
            }
            case "support_tickets" -> Observation.count(0);
            case "smoke_failures" -> {
                Instant ran = rollout.stepEnteredAt().plus(CHUNK);
                boolean inWindow = !ran.isBefore(from) && !ran.isAfter(now);
                yield inWindow ? Observation.of(0, Vocabulary.CRITICAL_SMOKE_CHECKS.size()) : Observation.EMPTY;
            }
            default -> throw new IllegalStateException("the synthetic fleet does not produce " + key.metric());
        };
    }

    /** One path's per-minute rollups (sums and maxima) and the group of sessions on it now. */
    private static final class PathData {
        static final int REPORTS = 0;
        static final int CYCLES = 1;
        static final int ERRORS = 2;
        static final int P95_WEIGHTED = 3;
        static final int CPU_SUM = 4;
        static final int MEMORY_MAX = 5;

        int sessions;
        double speedSum;
        double errorFactorSum;
        double memoryFactorMax;
        int burstMinute = -1;
        double burst = 1;
        /** Per minute: the sums 0..4 and the memory maximum 5. */
        private final List<double[]> minutes = new ArrayList<>();

        void clearGroup() {
            sessions = 0;
            speedSum = 0;
            errorFactorSum = 0;
            memoryFactorMax = 0;
        }

        void add(int minute, long reports, long cycles, long errors, double p95Weighted, double memory, double cpu) {
            while (minutes.size() <= minute) {
                minutes.add(new double[6]);
            }
            double[] m = minutes.get(minute);
            m[REPORTS] += reports;
            m[CYCLES] += cycles;
            m[ERRORS] += errors;
            m[P95_WEIGHTED] += p95Weighted;
            m[CPU_SUM] += cpu;
            m[MEMORY_MAX] = Math.max(m[MEMORY_MAX], memory);
        }

        long reports(int fromMinute) {
            return sum(REPORTS, fromMinute);
        }

        long sum(int field, int fromMinute) {
            return Math.round(sumDouble(field, fromMinute));
        }

        double sumDouble(int field, int fromMinute) {
            double total = 0;
            for (int i = fromMinute; i < minutes.size(); i++) {
                total += minutes.get(i)[field];
            }
            return total;
        }

        double max(int field, int fromMinute) {
            double max = 0;
            for (int i = fromMinute; i < minutes.size(); i++) {
                max = Math.max(max, minutes.get(i)[field]);
            }
            return max;
        }
    }
}
