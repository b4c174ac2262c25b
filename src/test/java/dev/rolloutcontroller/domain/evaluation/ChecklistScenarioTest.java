package dev.rolloutcontroller.domain.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.FlagRules;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Transition;
import dev.rolloutcontroller.domain.Trigger;
import dev.rolloutcontroller.domain.Vocabulary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default plan (the checklist, without the shadow step) driven tick by tick with a controllable clock:
 * synthetic window statistics in, the engine's decision applied through the state machine, as the evaluator will.
 */
class ChecklistScenarioTest {

    private static final Instant START = Instant.parse("2025-04-01T08:00:00Z");
    private static final Duration TICK = Duration.ofMinutes(30);
    private static final double MIB = 1024d * 1024;
    private static final Map<String, Set<String>> SIGN_OFFS = Map.of(
            "canary", Set.of("devops", "product"),
            "gradual", Set.of("tech-lead"),
            "full", Set.of("qa-lead", "tech-lead", "devops", "product", "security"));

    /** A fleet's figures: 20,000 cycles per window, the new path at the given error rate, legacy only while it has sessions. */
    private static Map<StatKey, Observation> fleet(Rollout rollout, double newErrorRate) {
        Set<StatKey> keys = new LinkedHashSet<>(RolloutEngine.requiredStats(rollout));
        keys.addAll(RolloutEngine.baselineStats(rollout));
        Map<StatKey, Observation> stats = new HashMap<>();
        for (StatKey key : keys) {
            boolean legacy = key.path().equals("legacy");
            if (legacy && rollout.percentage() == 100) {
                stats.put(key, Observation.EMPTY);
                continue;
            }
            stats.put(key, switch (key.metric()) {
                case "error_rate" -> Observation.rate(legacy ? 4 : Math.round(newErrorRate * 20_000), 20_000);
                case "cycle_time_p95_ms" -> Observation.of(legacy ? 42 : 40, 20_000);
                case "memory_bytes" -> Observation.of(300 * MIB, 500);
                case "cpu_percent" -> Observation.of(20, 500);
                case "support_tickets" -> Observation.count(0);
                case "smoke_failures" -> Observation.of(0, Vocabulary.CRITICAL_SMOKE_CHECKS.size());
                default -> throw new AssertionError("unexpected statistic " + key);
            });
        }
        return stats;
    }

    /** The evaluator's loop in miniature: evaluate, apply, remember streaks and baselines. */
    private static final class Evaluator {
        Rollout rollout;
        Instant now = START;
        Map<Integer, Integer> streaks = Map.of();
        final Map<String, Double> baseline = new HashMap<>();
        final List<String> journal = new ArrayList<>();
        double errorRate;
        boolean reporting = true;

        Evaluator(Rollout rollout) {
            this.rollout = rollout;
        }

        Decision tick() {
            now = now.plus(TICK);
            Map<StatKey, Observation> stats = reporting ? fleet(rollout, errorRate) : Map.of();
            Map<String, SmokeResult> smoke = new HashMap<>();
            if (reporting) {
                Vocabulary.SMOKE_CHECKS.forEach(check -> smoke.put(check, new SmokeResult(check, true, now)));
            }
            Decision decision = RolloutEngine.evaluate(
                    new EvaluationInput(rollout, now, stats, SIGN_OFFS, smoke, baseline, streaks, null));
            streaks = decision.streaks();
            Action action = switch (decision.action()) {
                case ADVANCE -> Action.ADVANCE;
                case ROLLBACK -> Action.ROLLBACK;
                case STEP_BACK -> Action.STEP_BACK;
                case PAUSE -> Action.PAUSE;
                case NONE, MARK_READY -> null;
            };
            if (action != null) {
                if (action == Action.ADVANCE) {
                    baseline.putAll(RolloutEngine.baselineFrom(rollout, stats));
                }
                rollout = apply(rollout, action, now);
                long hours = Duration.between(START, now).toHours();
                journal.add(action.wireName() + " at " + hours + "h -> " + rollout.status() + " " + rollout.currentStep().name());
            }
            return decision;
        }
    }

    private static Rollout apply(Rollout rollout, Action action, Instant now) {
        return assertInstanceOf(Transition.Applied.class, RolloutStateMachine.apply(rollout, action, now)).rollout();
    }

    private static Rollout started(List<String> canary) {
        Rollout draft = Rollout.draft("modular-monitor", "v2 modular monitor", Plan.checklist(false), canary, true,
                EnvMapping.DEFAULT, null, START);
        return apply(draft, Action.START, START);
    }

    @ParameterizedTest(name = "healthy fleet with canary {0}")
    @CsvSource({"s-1 s-2", "s-9"})
    void shouldWalkTheChecklistFromCanaryToCompletedOnHealthyReports(String canary) {
        Evaluator evaluator = new Evaluator(started(List.of(canary.split(" "))));

        List<EngineAction> actions = new ArrayList<>();
        for (int i = 0; i < 200 && evaluator.rollout.status() != RolloutStatus.COMPLETED; i++) {
            Decision decision = evaluator.tick();
            actions.add(decision.action());
            assertTrue(decision.action() == EngineAction.NONE || decision.action() == EngineAction.ADVANCE, decision.reason());
            assertTrue(decision.triggers().stream().noneMatch(TriggerResult::breached), decision.reason());
        }

        assertEquals(List.of(
                "advance at 4h -> ACTIVE gradual",
                "advance at 12h -> ACTIVE full",
                "advance at 36h -> COMPLETED full"), evaluator.journal);
        assertEquals(Map.of("cycle_time_p95_ms", 40.0), evaluator.baseline);
        assertEquals(72, actions.size());
        Decision watching = evaluator.tick();
        assertEquals(EngineAction.NONE, watching.action());
        assertEquals(60.0, watching.triggers().get(1).threshold(), "p95 trigger: 1.5 × the baseline captured on leaving gradual");
    }

    /** The checklist's "error rate > 5%" trigger, with its configured consecutive count. */
    private static int errorTriggerConsecutive() {
        Trigger trigger = Plan.checklist(false).triggers().get(0);
        assertEquals("error_rate", trigger.condition().metric());
        return trigger.consecutive();
    }

    @ParameterizedTest(name = "{0}% errors at gradual -> rollback after the configured consecutive breaches")
    @CsvSource({"6", "20"})
    void shouldRollBackAtFiftyPercentAfterConsecutiveBreachesOfTheErrorRateTrigger(double percent) {
        Evaluator evaluator = new Evaluator(apply(started(List.of("s-1")), Action.ADVANCE, START));
        evaluator.errorRate = percent / 100;
        int consecutive = errorTriggerConsecutive();

        List<EngineAction> actions = new ArrayList<>();
        for (int i = 0; i < consecutive; i++) {
            assertEquals(50, evaluator.rollout.percentage());
            actions.add(evaluator.tick().action());
        }

        List<EngineAction> expected = new ArrayList<>(Collections.nCopies(consecutive - 1, EngineAction.NONE));
        expected.add(EngineAction.ROLLBACK);
        assertEquals(expected, actions);
        assertEquals(RolloutStatus.ROLLED_BACK, evaluator.rollout.status());
        assertTrue(IntStream.range(0, 2_000).mapToObj(i -> "session-" + i)
                .noneMatch(session -> FlagRules.decide(evaluator.rollout, Set.of("s-1"), session).enabled()));
        assertFalse(FlagRules.decide(evaluator.rollout, Set.of("s-1"), "s-1").enabled(), "the canary list is off too");
        Decision after = evaluator.tick();
        assertEquals(EngineAction.NONE, after.action());
        assertEquals(Map.of(0, 0, 1, 0, 2, 0, 3, 0, 4, 0), after.streaks());
    }

    @Test
    void shouldExplainTheRollbackInTheJournal() {
        Evaluator evaluator = new Evaluator(apply(started(List.of("s-1")), Action.ADVANCE, START));
        evaluator.errorRate = 0.06;
        int consecutive = errorTriggerConsecutive();

        Decision decision = null;
        for (int i = 0; i < consecutive; i++) {
            decision = evaluator.tick();
        }

        assertEquals("trigger breached: new-path error_rate 6.00% (1,200 of 20,000 cycles, lower 95% bound 5.68%) > 5.00%"
                + " for " + consecutive + " consecutive evaluation" + (consecutive == 1 ? "" : "s")
                + " (Error rate > 5%): roll back", decision.reason());
        assertEquals(1, evaluator.journal.size());
        assertTrue(evaluator.journal.get(0).matches("rollback at \\d+h -> ROLLED_BACK gradual"), evaluator.journal.toString());
    }

    @Test
    void shouldHoldWhenErrorRateBetweenGateAndTrigger() {
        Evaluator evaluator = new Evaluator(apply(started(List.of("s-1")), Action.ADVANCE, START));
        evaluator.errorRate = 0.01;

        for (int i = 0; i < 96; i++) {
            Decision decision = evaluator.tick();
            assertEquals(EngineAction.NONE, decision.action(), decision.reason());
            assertEquals(Verdict.FAIL, decision.exitGates().get(1).verdict());
            assertFalse(decision.triggers().get(0).breached());
        }

        assertEquals(RolloutStatus.ACTIVE, evaluator.rollout.status());
        assertEquals("gradual", evaluator.rollout.currentStep().name());
        assertEquals(List.of(), evaluator.journal);
        assertEquals("holding at gradual: 1 failing (error_rate 1.00% vs < 0.10%)", evaluator.tick().reason());
    }

    @Test
    void shouldHoldForeverWithoutData() {
        Evaluator evaluator = new Evaluator(started(List.of("s-1")));
        evaluator.reporting = false;

        for (int i = 0; i < 1_000; i++) {
            Decision decision = evaluator.tick();
            assertEquals(EngineAction.NONE, decision.action(), decision.reason());
            assertTrue(decision.triggers().stream().noneMatch(TriggerResult::breached));
            assertTrue(decision.exitGates().stream().filter(g -> !g.kind().equals("soak") && !g.kind().equals("sign-off"))
                    .allMatch(g -> g.verdict() == Verdict.PENDING), decision.reason());
        }

        assertEquals(List.of(), evaluator.journal);
        assertNotEquals(EngineAction.ADVANCE, evaluator.tick().action());
    }
}
