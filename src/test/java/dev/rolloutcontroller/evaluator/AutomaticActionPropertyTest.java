package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.GateSpec;
import dev.rolloutcontroller.domain.Metric;
import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.StepSpec;
import dev.rolloutcontroller.domain.Transition;
import dev.rolloutcontroller.domain.TriggerAction;
import dev.rolloutcontroller.domain.TriggerSpec;
import dev.rolloutcontroller.domain.Validated;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.EvaluationInput;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.RolloutEngine;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.service.RolloutService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever valid plan an operator wrote (any mix of gates and triggers, descriptions up to the limit,
 * up to 20 steps and 50 triggers) and wherever the rollout stands, a breaching trigger makes the pass
 * decide a trigger action whose reason fits what the service stores, and which the state machine
 * applies. The path from there to the database has nothing left that can refuse it (see
 * {@code RolloutService.applyDecision}); {@link AutomaticActionTest} drives the largest plan through it.
 */
class AutomaticActionPropertyTest {

    private static final Instant ENTERED = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant NOW = ENTERED.plus(Duration.ofHours(5));
    private static final List<String> OPS = List.of("<", "<=", ">", ">=", "=");
    /** Conditions on the daemons' reports (a Prometheus query needs a server: RealPrometheusTest covers it). */
    private static final Arbitrary<Metric> REPORTED_METRICS = Arbitraries.of(Metric.wireNames()).map(name -> Metric.fromWireName(name).orElseThrow());
    private static final List<String> WINDOWS = List.of("PT1M", "PT10M", "PT1H", "P1D", "P7D");

    /**
     * A plan with a trigger {@code breaching} that the telemetry breaches, where the rollout stands, and the
     * seed of the other figures.
     */
    record Scenario(PlanSpec spec, int breaching, RolloutStatus status, int stepChoice, boolean autoAdvance, long seed) {
    }

    @Property(tries = 80)
    void shouldApplyTheDecidedActionOfAnyValidPlan(@ForAll("scenarios") Scenario scenario) {
        Validated<Plan> validated = PlanSpecs.toPlan(scenario.spec(), "plan");
        if (validated instanceof Validated.Invalid<Plan> invalid) {
            throw new AssertionError("the generator made an invalid plan: " + invalid.errors());
        }
        Plan plan = ((Validated.Valid<Plan>) validated).value();
        int stepIndex = scenario.status() == RolloutStatus.COMPLETED ? plan.lastStepIndex()
                : scenario.stepChoice() % plan.steps().size();
        Rollout rollout = new Rollout("property", "", scenario.status(), stepIndex, plan, List.of("c1"),
                scenario.autoAdvance(), 3, ENTERED, ENTERED, ENTERED, EnvMapping.DEFAULT, null);

        Decision decision = RolloutEngine.evaluate(input(rollout, scenario));

        TriggerResult breaching = decision.triggers().get(scenario.breaching());
        assertTrue(breaching.fired(), () -> "the breached trigger fires: " + breaching);
        assertTrue(decision.reason().length() <= Decision.MAX_REASON, "the reason is bounded");
        assertTrue(Decision.MAX_REASON <= RolloutService.MAX_REASON, "and fits what an event stores");
        List<TriggerResult> fired = decision.triggers().stream().filter(TriggerResult::fired).toList();
        Action action = switch (decision.action()) {
            case ROLLBACK -> Action.ROLLBACK;
            case STEP_BACK -> Action.STEP_BACK;
            case PAUSE -> Action.PAUSE;
            case NONE -> null;
            case ADVANCE, MARK_READY -> throw new AssertionError("a fired trigger never lets the rollout advance: " + decision);
        };
        if (action == null) {
            assertEquals(RolloutStatus.PAUSED, rollout.status(), "only a paused rollout has nothing to apply");
            assertTrue(fired.stream().allMatch(t -> t.action() == TriggerAction.PAUSE), "and only for a pause");
            return;
        }
        if (fired.stream().anyMatch(t -> t.action() == TriggerAction.ROLLBACK)) {
            assertEquals(Action.ROLLBACK, action, "a fired rollback wins");
        }
        Transition transition = RolloutStateMachine.apply(rollout, action, NOW);
        Rollout after = assertInstanceOf(Transition.Applied.class, transition, () -> "applied: " + transition).rollout();
        RolloutStatus expected = switch (action) {
            case ROLLBACK -> RolloutStatus.ROLLED_BACK;
            case PAUSE -> RolloutStatus.PAUSED;
            default -> rollout.status();
        };
        assertEquals(expected, after.status());
    }

    /** The breaching trigger's statistic is over its limit with enough samples; every other one is random. */
    private static EvaluationInput input(Rollout rollout, Scenario scenario) {
        Random random = new Random(scenario.seed());
        MetricCondition breaching = rollout.plan().triggers().get(scenario.breaching()).condition();
        StatKey breachingKey = StatKey.of(breaching, false);
        Map<StatKey, Observation> stats = new HashMap<>();
        for (StatKey key : RolloutEngine.requiredStats(rollout)) {
            stats.put(key, key.equals(breachingKey) ? over(breaching) : randomObservation(key, random));
        }
        Map<Integer, Integer> streaks = new HashMap<>();
        for (int i = 0; i < rollout.plan().triggers().size(); i++) {
            streaks.put(i, random.nextInt(101));
        }
        streaks.put(scenario.breaching(), rollout.plan().triggers().get(scenario.breaching()).consecutive() - 1);
        return new EvaluationInput(rollout, NOW, stats, Map.of(), Map.of(), Map.of("cycle_time_p95_ms", 40.0),
                streaks, Duration.ofHours(24));
    }

    /** Above an absolute limit of at most 1,000 (rates: 0.5) with more samples than asked for. */
    private static Observation over(MetricCondition condition) {
        long samples = Math.max(condition.minSamples() + 1, 10_000);
        return Metric.fromWireName(condition.metric()).orElseThrow().rate()
                ? Observation.rate(samples * 99 / 100, samples)
                : Observation.of(condition.threshold() + 1, samples);
    }

    private static Observation randomObservation(StatKey key, Random random) {
        long samples = random.nextInt(5000);
        return Metric.fromWireName(key.metric()).orElseThrow().rate()
                ? Observation.rate(random.nextLong(samples + 1), samples)
                : Observation.of(random.nextDouble() * 2000, samples);
    }

    // ---- generators ----------------------------------------------------------------------------------

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<StepSpec>> steps = Arbitraries.integers().between(1, 20).flatMap(AutomaticActionPropertyTest::steps);
        Arbitrary<List<TriggerSpec>> others = trigger().list().ofMaxSize(49);
        return Combinators.combine(steps, others, breachingTrigger(), Arbitraries.integers().between(0, 49),
                        Arbitraries.of(RolloutStatus.ACTIVE, RolloutStatus.PAUSED, RolloutStatus.COMPLETED),
                        Arbitraries.integers().between(0, 19), Arbitraries.of(true, false), Arbitraries.longs())
                .as((stepList, triggerList, breaching, position, status, stepChoice, autoAdvance, seed) -> {
                    List<TriggerSpec> triggers = new ArrayList<>(triggerList);
                    int at = position % (triggers.size() + 1);
                    triggers.add(at, breaching);
                    return new Scenario(new PlanSpec(stepList, triggers), at, status, stepChoice, autoAdvance, seed);
                });
    }

    private static Arbitrary<List<StepSpec>> steps(int count) {
        return Arbitraries.integers().between(0, 100).list().ofSize(count).flatMap(percentages -> {
            List<Integer> sorted = new ArrayList<>(percentages.stream().sorted().toList());
            sorted.set(count - 1, 100);
            Arbitrary<List<GateSpec>> gates = gate().list().ofMaxSize(3);
            return Combinators.combine(gates.list().ofSize(count), gates.list().ofSize(count),
                            Arbitraries.of("PT0S", "PT10M", "PT4H", "P30D").list().ofSize(count))
                    .as((entry, exit, soaks) -> {
                        List<StepSpec> specs = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            boolean shadow = sorted.get(i) == 0 && i % 2 == 0;
                            specs.add(new StepSpec("step-" + i, sorted.get(i), soaks.get(i), shadow, entry.get(i), exit.get(i)));
                        }
                        return specs;
                    });
        });
    }

    /** Descriptions of any length up to the plan's limit, often at it. */
    private static Arbitrary<String> description() {
        Arbitrary<String> any = Arbitraries.strings().withCharRange(' ', '~').withChars('é', '→', '…', '\n').ofMaxLength(500);
        Arbitrary<String> longest = Arbitraries.strings().withCharRange('a', 'z').withChars('"', '\'', '<', '%').ofLength(500);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, any), net.jqwik.api.Tuple.of(1, longest));
    }

    private static Arbitrary<GateSpec> gate() {
        Arbitrary<GateSpec> soak = description().map(d -> new GateSpec("soak", d, null, null, null, null, null, null, null,
                null, null, null, null, null, null));
        Arbitrary<GateSpec> signOff = Combinators.combine(description(), Arbitraries.of(Vocabulary.SIGN_OFF_ROLES))
                .as((d, role) -> new GateSpec("sign-off", d, role, null, null, null, null, null, null, null, null, null,
                        null, null, null));
        Arbitrary<GateSpec> smoke = Combinators.combine(description(), Arbitraries.subsetOf(Vocabulary.SMOKE_CHECKS).ofMinSize(1))
                .as((d, checks) -> new GateSpec("smoke", d, null, null, null, null, null, null, null, null, null, null,
                        null, List.copyOf(checks), null));
        Arbitrary<GateSpec> condition = description().map(d -> new GateSpec("condition", d, null, null, null, null, null,
                null, null, null, null, null, null, null, "canary-list-not-empty"));
        Arbitrary<GateSpec> metric = Combinators.combine(description(), condition())
                .as((d, c) -> new GateSpec("metric", d, null, c.metric(), c.category(), c.path(), c.op(), c.threshold(),
                        c.relativeTo(), c.factor(), c.offset(), c.minSamples(), c.window(), null, null));
        return Arbitraries.oneOf(soak, signOff, smoke, condition, metric);
    }

    private static Arbitrary<TriggerSpec> trigger() {
        return Combinators.combine(condition(), Arbitraries.integers().between(1, 100).injectNull(0.3),
                        Arbitraries.of(TriggerAction.values()), description())
                .as((c, consecutive, action, d) -> new TriggerSpec(c.metric(), c.category(), c.path(), c.op(), c.threshold(),
                        c.relativeTo(), c.factor(), c.offset(), c.minSamples(), consecutive, c.window(), action.wireName(), d));
    }

    /** An absolute "greater than" trigger: the one the generated telemetry breaches. */
    private static Arbitrary<TriggerSpec> breachingTrigger() {
        return Combinators.combine(REPORTED_METRICS, Arbitraries.of(Vocabulary.SHADOW_CATEGORIES),
                        Arbitraries.of(">", ">="), Arbitraries.doubles().between(0, 1000), Arbitraries.longs().between(0, 1000),
                        Arbitraries.integers().between(1, 100), Arbitraries.of(TriggerAction.values()), description())
                .as((metric, category, op, threshold, minSamples, consecutive, action, d) -> new TriggerSpec(metric.wireName(),
                        metric == Metric.SHADOW_MISMATCH_RATE ? category : null, null, op,
                        metric.rate() ? threshold / 2000 : threshold, null, null, null, minSamples, consecutive,
                        null, action.wireName(), d));
    }

    /** The fields of a metric condition, absolute or relative, as a spec carries them. */
    record ConditionFields(String metric, String category, String path, String op, Double threshold, String relativeTo,
                           Double factor, Double offset, Long minSamples, String window) {
    }

    private static Arbitrary<ConditionFields> condition() {
        Arbitrary<Double> thresholdOrRelative = Arbitraries.doubles().between(0, 1000);
        return Combinators.combine(REPORTED_METRICS, Arbitraries.of(Vocabulary.SHADOW_CATEGORIES),
                        Arbitraries.of(Vocabulary.PATHS).injectNull(0.5), Arbitraries.of(OPS),
                        thresholdOrRelative.injectNull(0.3), Arbitraries.of(Vocabulary.RELATIVE_TO),
                        Arbitraries.longs().between(0, 1000).injectNull(0.3), Arbitraries.of(WINDOWS).injectNull(0.3))
                .as((metric, category, path, op, threshold, relativeTo, minSamples, window) -> new ConditionFields(
                        metric.wireName(), metric == Metric.SHADOW_MISMATCH_RATE ? category : null, path, op, threshold,
                        threshold == null ? relativeTo : null, threshold == null ? 1.1 : null, null, minSamples, window));
    }
}
