package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.Trigger;
import dev.rolloutcontroller.domain.TriggerAction;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fresh, immutable test values and a builder of inputs; nothing here is shared state. */
final class EngineFixtures {

    static final Instant ENTERED = Instant.parse("2025-03-01T00:00:00Z");
    /** Ten hours into the step: past every soak of the two-step plan below. */
    static final Instant NOW = ENTERED.plus(Duration.ofHours(10));
    static final double GIB = 1024d * 1024 * 1024;

    private EngineFixtures() {
    }

    static Comparison op(String symbol) {
        return Comparison.parse(symbol).orElseThrow();
    }

    static MetricCondition absolute(String metric, String op, double threshold, long minSamples) {
        return new MetricCondition(metric, null, "new", op(op), threshold, null, 1, 0, minSamples, Duration.ofHours(1));
    }

    static MetricCondition relative(String metric, String op, String relativeTo, double factor, double offset, long minSamples) {
        return new MetricCondition(metric, null, "new", op(op), null, relativeTo, factor, offset, minSamples, Duration.ofHours(1));
    }

    static Gate.MetricGate metricGate(MetricCondition condition) {
        return new Gate.MetricGate(condition, "metric gate");
    }

    static Trigger trigger(MetricCondition condition, int consecutive, TriggerAction action) {
        return new Trigger(condition, consecutive, action, action.wireName() + " on " + condition.metric());
    }

    /** Two steps: {@code canary} (10%, soak 4 h) with the given exit gates, {@code gradual} (50%, soak 8 h) with the given entry gates. */
    static Plan plan(List<Gate> canaryExit, List<Gate> gradualEntry, List<Trigger> triggers) {
        return new Plan(List.of(
                new Step("canary", 10, Duration.ofHours(4), false, List.of(), canaryExit),
                new Step("gradual", 50, Duration.ofHours(8), false, gradualEntry, List.of())),
                triggers);
    }

    static Plan gates(Gate... canaryExit) {
        return plan(List.of(canaryExit), List.of(), List.of());
    }

    static Plan triggers(Trigger... triggers) {
        return plan(List.of(), List.of(), List.of(triggers));
    }

    static Rollout rollout(Plan plan, RolloutStatus status, int stepIndex) {
        return rollout(plan, status, stepIndex, true, List.of("s-1"));
    }

    static Rollout rollout(Plan plan, RolloutStatus status, int stepIndex, boolean autoAdvance, List<String> canary) {
        return new Rollout("modular-monitor", "v2 monitor", status, stepIndex, plan, canary, autoAdvance, 3,
                ENTERED.minus(Duration.ofDays(1)), ENTERED, ENTERED, EnvMapping.DEFAULT, null);
    }

    static Rollout active(Plan plan) {
        return rollout(plan, RolloutStatus.ACTIVE, 0);
    }

    static Inputs inputs(Rollout rollout) {
        return new Inputs(rollout);
    }

    /** A builder of one evaluation's input, at {@link #NOW} unless told otherwise. */
    static final class Inputs {
        private final Rollout rollout;
        private Instant now = NOW;
        private final Map<StatKey, Observation> stats = new HashMap<>();
        private final Map<String, Set<String>> signOffs = new HashMap<>();
        private final Map<String, SmokeResult> smoke = new HashMap<>();
        private final Map<String, Double> baseline = new HashMap<>();
        private final Map<Integer, Integer> streaks = new HashMap<>();
        private Duration watch;

        Inputs(Rollout rollout) {
            this.rollout = rollout;
        }

        Inputs at(Instant instant) {
            now = instant;
            return this;
        }

        Inputs stat(StatKey key, Observation observation) {
            stats.put(key, observation);
            return this;
        }

        /** The observation under the gate's key (bounded by the step) of a condition. */
        Inputs gateStat(MetricCondition condition, Observation observation) {
            return stat(StatKey.of(condition, true), observation);
        }

        /** The observation under the trigger's key (not bounded by the step) of a condition. */
        Inputs triggerStat(MetricCondition condition, Observation observation) {
            return stat(StatKey.of(condition, false), observation);
        }

        Inputs stats(Map<StatKey, Observation> more) {
            stats.putAll(more);
            return this;
        }

        Inputs signOff(String step, String... roles) {
            signOffs.computeIfAbsent(step, s -> new HashSet<>()).addAll(List.of(roles));
            return this;
        }

        Inputs smoke(String check, boolean passed, Instant at) {
            smoke.put(check, new SmokeResult(check, passed, at));
            return this;
        }

        Inputs baseline(String metricKey, double value) {
            baseline.put(metricKey, value);
            return this;
        }

        Inputs baseline(Map<String, Double> values) {
            baseline.putAll(values);
            return this;
        }

        Inputs streak(int trigger, int streak) {
            streaks.put(trigger, streak);
            return this;
        }

        Inputs streaks(Map<Integer, Integer> previous) {
            streaks.putAll(previous);
            return this;
        }

        Inputs watch(Duration period) {
            watch = period;
            return this;
        }

        EvaluationInput build() {
            return new EvaluationInput(rollout, now, stats, signOffs, smoke, baseline, streaks, watch);
        }

        Decision evaluate() {
            return RolloutEngine.evaluate(build());
        }

        GateResult onlyExitGate() {
            Decision decision = evaluate();
            if (decision.exitGates().size() != 1) {
                throw new AssertionError("expected one exit gate, got " + decision.exitGates());
            }
            return decision.exitGates().get(0);
        }

        TriggerResult onlyTrigger() {
            Decision decision = evaluate();
            if (decision.triggers().size() != 1) {
                throw new AssertionError("expected one trigger, got " + decision.triggers());
            }
            return decision.triggers().get(0);
        }
    }
}
