package dev.rolloutcontroller.domain.evaluation;

import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.ENTERED;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.absolute;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.active;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.gates;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.inputs;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.metricGate;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.plan;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.rollout;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Transition;
import dev.rolloutcontroller.domain.TriggerAction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecisionTest {

    private static final MetricCondition CPU = absolute("cpu_percent", "<", 50, 1);

    /** canary exit: soak + cpu < 50%; gradual entry: sign-off tech-lead. */
    private static Plan twoGatedSteps() {
        return plan(List.of(new Gate.Soak("soak"), metricGate(CPU)), List.of(new Gate.SignOff("tech-lead", "approval")), List.of());
    }

    /** soak/cpu/signed: whether each gate is met; status and auto-advance of the rollout. */
    @ParameterizedTest(name = "{0} auto {1}: soak {2} cpu {3} signed {4} -> {5}")
    @CsvSource({
            "ACTIVE,      true,  true,  true,  true,  ADVANCE",
            "ACTIVE,      false, true,  true,  true,  MARK_READY",
            "ACTIVE,      true,  false, true,  true,  NONE",
            "ACTIVE,      true,  true,  false, true,  NONE",
            "ACTIVE,      true,  true,  true,  false, NONE",
            "ACTIVE,      false, false, true,  true,  NONE",
            "PAUSED,      true,  true,  true,  true,  NONE",
            "DRAFT,       true,  true,  true,  true,  NONE",
            "ROLLED_BACK, true,  true,  true,  true,  NONE",
    })
    void shouldAdvanceOnlyAnActiveRolloutWhoseExitAndNextEntryGatesAllPass(
            RolloutStatus status, boolean autoAdvance, boolean soaked, boolean cpuOk, boolean signed, EngineAction expected) {
        EngineFixtures.Inputs inputs = inputs(rollout(twoGatedSteps(), status, 0, autoAdvance, List.of("s-1")))
                .at(ENTERED.plus(soaked ? Duration.ofHours(4) : Duration.ofHours(3)))
                .gateStat(CPU, Observation.of(cpuOk ? 20 : 80, 10));
        if (signed) {
            inputs.signOff("gradual", "tech-lead");
        }

        Decision decision = inputs.evaluate();

        assertEquals(expected, decision.action(), decision.reason());
        assertEquals(expected == EngineAction.MARK_READY, decision.readyToAdvance());
        assertEquals(2, decision.exitGates().size());
        assertEquals(1, decision.entryGates().size());
    }

    @Test
    void shouldExplainAnAdvanceAndAWaitForTheOperator() {
        EngineFixtures.Inputs auto = inputs(rollout(twoGatedSteps(), RolloutStatus.ACTIVE, 0, true, List.of("s-1")))
                .gateStat(CPU, Observation.of(20, 10)).signOff("gradual", "tech-lead");
        EngineFixtures.Inputs manual = inputs(rollout(twoGatedSteps(), RolloutStatus.ACTIVE, 0, false, List.of("s-1")))
                .gateStat(CPU, Observation.of(20, 10)).signOff("gradual", "tech-lead");

        assertEquals("every gate passes (2 exit gates of canary, 1 entry gate of gradual): advance to gradual (50%)",
                auto.evaluate().reason());
        assertEquals("every gate passes (2 exit gates of canary, 1 entry gate of gradual): ready to advance to gradual (50%),"
                + " waiting for an operator (auto-advance is off)", manual.evaluate().reason());
    }

    @Test
    void shouldNameWhatIsPendingAndWhatIsFailingWhenHolding() {
        MetricCondition errors = absolute("error_rate", "<", 0.001, 1000);
        Plan plan = plan(List.of(new Gate.Soak("Validation (4 hours)"), metricGate(errors), new Gate.SignOff("product", "feedback")),
                List.of(new Gate.SignOff("tech-lead", "approval")), List.of());

        Decision decision = inputs(active(plan))
                .at(ENTERED.plus(Duration.ofMinutes(72)))
                .gateStat(errors, Observation.rate(100, 10_000))
                .evaluate();

        assertEquals(EngineAction.NONE, decision.action());
        assertEquals("holding at canary: 3 gates pending (soak 1h12m of 4h, sign-off product, sign-off tech-lead for gradual),"
                + " 1 failing (error_rate 1.00% vs < 0.10%)", decision.reason());
    }

    @Test
    void shouldCompleteFromTheLastStepOnItsExitGatesAlone() {
        Rollout last = rollout(gates(new Gate.Soak("Validation (8 hours)")), RolloutStatus.ACTIVE, 1);

        Decision decision = inputs(last).evaluate();

        assertEquals(EngineAction.ADVANCE, decision.action(), decision.reason());
        assertEquals(List.of(), decision.entryGates());
        assertEquals("every gate passes (0 exit gates of gradual): complete the rollout", decision.reason());
        Transition applied = RolloutStateMachine.apply(last, Action.ADVANCE, EngineFixtures.NOW);
        assertEquals(RolloutStatus.COMPLETED, assertInstanceOf(Transition.Applied.class, applied).rollout().status());
    }

    @Test
    void shouldHoldWhileATriggerIsBreachedOnItsWayToFiring() {
        MetricCondition memory = absolute("memory_bytes", ">", 2 * EngineFixtures.GIB, 1);
        Plan plan = plan(List.of(), List.of(), List.of(trigger(memory, 3, TriggerAction.ROLLBACK)));

        Decision decision = inputs(active(plan)).triggerStat(memory, Observation.of(3 * EngineFixtures.GIB, 5)).evaluate();

        assertEquals(EngineAction.NONE, decision.action());
        assertEquals("holding at canary: every gate passes, but trigger \"rollback on memory_bytes\" breached (1 of 3)", decision.reason());
        assertEquals(Map.of(0, 1), decision.streaks());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "DRAFT       | draft: nothing is acted on until the rollout is started",
            "ROLLED_BACK | rolled back: nothing is acted on until the rollout is restarted",
            "PAUSED      | paused at canary: gates are not acted on until the rollout is resumed",
            "COMPLETED   | completed: triggers watched for another 14h",
    })
    void shouldSayWhyNothingHappensOutsideActive(RolloutStatus status, String reason) {
        Decision decision = inputs(rollout(gates(), status, 0)).evaluate();

        assertEquals(EngineAction.NONE, decision.action());
        assertEquals(reason, decision.reason());
    }

    @Test
    void shouldListTheStatisticsOfTheCurrentGatesTheNextEntryAndEveryTriggerWithLegacyTwinsOwnHistoryAndNewestStretches() {
        Rollout canary = active(Plan.checklist(false));

        List<String> keys = RolloutEngine.requiredStats(canary).stream()
                .map(k -> k.metricKey() + " " + k.path() + " " + k.window() + (k.boundedByStep() ? " step" : ""))
                .toList();

        assertEquals(List.of(
                "error_rate new PT1H step",
                "cycle_time_p95_ms new PT1H step",
                "cycle_time_p95_ms legacy PT1H step",
                "support_tickets new null step",
                "error_rate new PT10M",
                "error_rate new PT5M",
                "error_rate new PT2M30S",
                "error_rate new PT1M15S",
                "error_rate new PT37S",
                "error_rate new PT18S",
                "cycle_time_p95_ms new PT10M",
                "cycle_time_p95_ms legacy PT10M",
                "cycle_time_p95_ms new PT1H10M step",
                "cycle_time_p95_ms new PT10M step",
                "memory_bytes new PT10M",
                "smoke_failures new PT10M",
                "support_tickets new PT1H"), keys);
    }

    @Test
    void shouldFindEveryStatisticItLooksUpAmongTheRequiredOnes() {
        Rollout shadow = active(Plan.checklist(true));
        Set<StatKey> required = RolloutEngine.requiredStats(shadow);
        Map<StatKey, Observation> everything = new HashMap<>();
        required.forEach(key -> everything.put(key, Observation.of(1, 1)));

        Decision withAll = RolloutEngine.evaluate(inputs(shadow).stats(everything).build());
        Decision withNone = RolloutEngine.evaluate(inputs(shadow).build());

        long judgedWithAll = withAll.exitGates().stream().filter(g -> g.kind().equals("metric") && g.samples() > 0).count();
        long metricGates = shadow.currentStep().exitGates().stream().filter(g -> g instanceof Gate.MetricGate).count();
        assertEquals(metricGates, judgedWithAll);
        assertTrue(withNone.exitGates().stream().filter(g -> g.kind().equals("metric")).allMatch(g -> g.verdict() == Verdict.PENDING));
    }

    @Test
    void shouldCaptureTheNewPathFigureOfTheWholeStepAsTheBaseline() {
        Rollout canary = active(Plan.checklist(false));
        StatKey wholeStep = new StatKey("cycle_time_p95_ms", null, "new", null, true);
        StatKey lastHour = new StatKey("cycle_time_p95_ms", null, "new", Duration.ofHours(1), true);
        StatKey trigger = new StatKey("cycle_time_p95_ms", null, "new", Duration.ofMinutes(10), false);
        StatKey legacy = new StatKey("cycle_time_p95_ms", null, "legacy", null, true);

        assertEquals(Set.of(wholeStep), RolloutEngine.baselineStats(canary));
        assertEquals(Map.of("cycle_time_p95_ms", 40.0), RolloutEngine.baselineFrom(canary, Map.of(
                wholeStep, Observation.of(40, 50_000), lastHour, Observation.of(45, 5_000),
                trigger, Observation.of(47, 2_000), legacy, Observation.of(30, 90_000))));
        assertEquals(Map.of("cycle_time_p95_ms", 45.0), RolloutEngine.baselineFrom(canary, Map.of(
                wholeStep, Observation.of(40, 999), lastHour, Observation.of(45, 5_000), trigger, Observation.of(47, 2_000))));
        assertEquals(Map.of("cycle_time_p95_ms", 47.0), RolloutEngine.baselineFrom(canary, Map.of(trigger, Observation.of(47, 2_000))));
        assertEquals(Map.of(), RolloutEngine.baselineFrom(canary, Map.of(wholeStep, Observation.of(40, 999), legacy, Observation.of(30, 90_000))));
    }

    @Test
    void shouldCaptureARateBaselineAsEventsOverSamples() {
        MetricCondition relativeErrors = EngineFixtures.relative("error_rate", "<=", "baseline", 2, 0, 100);
        Rollout rollout = active(gates(metricGate(relativeErrors)));

        Map<String, Double> baseline = RolloutEngine.baselineFrom(rollout,
                Map.of(new StatKey("error_rate", null, "new", null, true), Observation.rate(3, 1000)));

        assertEquals(Map.of("error_rate", 0.003), baseline);
        assertEquals(Map.of(), RolloutEngine.baselineFrom(active(gates(metricGate(CPU))),
                Map.of(new StatKey("cpu_percent", null, "new", null, true), Observation.of(20, 10))));
    }

    @Test
    void shouldJudgeTheFirstStepsEntryGatesForStarting() {
        Rollout draft = rollout(Plan.checklist(false), RolloutStatus.DRAFT, 0, true, List.of());

        List<GateResult> gates = RolloutEngine.startGates(inputs(draft).signOff("canary", "devops").build());

        assertEquals(List.of("condition FAIL", "sign-off PASS"), gates.stream().map(g -> g.kind() + " " + g.verdict()).toList());
    }

    @Test
    void shouldDecideTheSameWayTwiceOnTheSameInput() {
        EvaluationInput input = inputs(active(Plan.checklist(true))).signOff("shadow", "qa-lead").streak(0, 1).build();

        assertEquals(RolloutEngine.evaluate(input), RolloutEngine.evaluate(input));
        assertFalse(RolloutEngine.evaluate(input).reason().isBlank());
    }
}
