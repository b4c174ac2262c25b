package dev.rolloutcontroller.domain.evaluation;

import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.ENTERED;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.GIB;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.absolute;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.active;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.inputs;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.rollout;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.trigger;
import static dev.rolloutcontroller.domain.evaluation.EngineFixtures.triggers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Trigger;
import dev.rolloutcontroller.domain.TriggerAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerTest {

    private static TriggerResult judge(MetricCondition condition, Observation observation) {
        return inputs(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK)))).triggerStat(condition, observation).onlyTrigger();
    }

    @ParameterizedTest(name = "{0} {1} {2}, observed {3} -> breached {4}")
    @CsvSource({
            "memory_bytes,       >,  2147483648, 2147483648, false",
            "memory_bytes,       >,  2147483648, 2147483649, true",
            "support_tickets,    >=, 3,          2,          false",
            "support_tickets,    >=, 3,          3,          true",
            "smoke_failures,     >,  0,          0,          false",
            "smoke_failures,     >,  0,          1,          true",
            "cycle_time_p95_ms,  >,  150,        150,        false",
            "cycle_time_p95_ms,  >,  150,        150.1,      true",
            "sessions_reporting, <,  10,         10,         false",
            "sessions_reporting, <,  10,         9,          true",
            "sessions_reporting, <=, 10,         10,         true",
            "sessions_reporting, <=, 10,         11,         false",
            "cpu_percent,        =,  100,        100,        true",
            "cpu_percent,        =,  100,        99.9,       false",
    })
    void shouldBreachANonRateTriggerOnThePointValue(String metric, String op, double threshold, double observed, boolean breached) {
        Observation observation = metric.equals("support_tickets") ? Observation.count((long) observed) : Observation.of(observed, 4);

        TriggerResult result = judge(absolute(metric, op, threshold, 1), observation);

        assertEquals(breached, result.breached(), result.detail());
        assertEquals(breached, result.fired());
        assertEquals(observed, result.observed());
        assertEquals(threshold, result.threshold());
    }

    /** A rate trigger needs the evidence beyond the limit: {@code >} on the lower bound, {@code <} on the upper bound. */
    @ParameterizedTest(name = "error_rate {0} {1}, {2}/{3} -> breached {4}")
    @CsvSource({
            ">,  0.05, 600, 10000, true",
            ">,  0.05, 560, 10000, true",
            ">,  0.05, 520, 10000, false",
            ">,  0.05, 6,   100,   false",
            ">,  0.05, 100, 100,   true",
            ">,  0.05, 0,   10000, false",
            ">=, 0.05, 100, 10000, false",
            "<,  0.5,  10,  100,   true",
            "<,  0.5,  45,  100,   false",
            "<=, 0.5,  45,  100,   false",
            "=,  0,    0,   100,   true",
            "=,  0,    1,   100,   false",
    })
    void shouldBreachARateTriggerOnlyOnItsWilsonBound(String op, double threshold, long events, long trials, boolean breached) {
        TriggerResult result = judge(absolute("error_rate", op, threshold, 100), Observation.rate(events, trials));

        assertEquals(breached, result.breached(), result.detail());
    }

    @ParameterizedTest(name = "the {0} bound at the limit with {1} -> {2}")
    @CsvSource({"lower, >=, true", "lower, >, false", "upper, <=, true", "upper, <, false"})
    void shouldCompareTheWilsonBoundExactlyAtTheLimit(String bound, String op, boolean breached) {
        double limit = bound.equals("lower") ? Wilson.lower(600, 10_000) : Wilson.upper(600, 10_000);

        TriggerResult result = judge(absolute("error_rate", op, limit, 1), Observation.rate(600, 10_000));

        assertEquals(breached, result.breached(), result.detail());
    }

    @ParameterizedTest(name = "{0} of minSamples {1}, previous streak 5 -> breached {2}")
    @CsvSource({
            "999,  1000, false",
            "1000, 1000, true",
            "0,    1,    false",
            "1,    0,    true",
            "0,    0,    false",
    })
    void shouldNeverBreachOnAnEmptyOrTooSmallWindow(long samples, long minSamples, boolean breached) {
        MetricCondition condition = absolute("error_rate", ">", 0.05, minSamples);

        TriggerResult result = inputs(active(triggers(trigger(condition, 2, TriggerAction.ROLLBACK))))
                .triggerStat(condition, Observation.rate(samples, samples))
                .streak(0, 5)
                .onlyTrigger();

        assertEquals(breached, result.breached(), result.detail());
        assertEquals(breached ? 6 : 0, result.streak());
        assertEquals(breached, result.fired());
    }

    @Test
    void shouldNotBreachWithoutAnyStatistic() {
        TriggerResult result = inputs(active(triggers(trigger(absolute("memory_bytes", ">", 2 * GIB, 1), 1, TriggerAction.ROLLBACK))))
                .streak(0, 3)
                .onlyTrigger();

        assertFalse(result.breached());
        assertEquals(0, result.streak());
        assertEquals("new-path memory_bytes: no data yet (needs 1 reports), so it cannot breach", result.detail());
    }

    @Test
    void shouldReadTheTriggerStatisticNotBoundedByTheStep() {
        MetricCondition condition = absolute("memory_bytes", ">", 2 * GIB, 1);

        TriggerResult result = inputs(active(triggers(trigger(condition, 1, TriggerAction.ROLLBACK))))
                .gateStat(condition, Observation.of(3 * GIB, 10))
                .onlyTrigger();

        assertFalse(result.breached(), result.detail());
    }

    @ParameterizedTest(name = "previous {0}, breached {1}, consecutive {2} -> streak {3}, fired {4}")
    @CsvSource({
            "0, true,  2, 1, false",
            "1, true,  2, 2, true",
            "1, false, 2, 0, false",
            "5, true,  2, 6, true",
            "0, true,  1, 1, true",
            "2, true,  5, 3, false",
            "4, true,  5, 5, true",
            "4, false, 5, 0, false",
    })
    void shouldFireAfterTheConfiguredConsecutiveBreachesAndResetOnAClearOne(
            int previous, boolean breach, int consecutive, int streak, boolean fired) {
        MetricCondition condition = absolute("memory_bytes", ">", 2 * GIB, 1);

        Decision decision = inputs(active(triggers(trigger(condition, consecutive, TriggerAction.ROLLBACK))))
                .triggerStat(condition, Observation.of(breach ? 3 * GIB : GIB, 10))
                .streak(0, previous)
                .evaluate();

        TriggerResult result = decision.triggers().get(0);
        assertEquals(streak, result.streak());
        assertEquals(fired, result.fired());
        assertEquals(Map.of(0, streak), decision.streaks());
        // A breach on its way to firing holds the rollout; a clear window lets the (gateless) step advance.
        EngineAction expected = fired ? EngineAction.ROLLBACK : breach ? EngineAction.NONE : EngineAction.ADVANCE;
        assertEquals(expected, decision.action(), decision.reason());
    }

    /** Triggers at indexes 0.. with the listed actions, all breached with consecutive 1. */
    private static Decision allFire(RolloutStatus status, int stepIndex, TriggerAction... actions) {
        List<Trigger> list = new ArrayList<>();
        List<MetricCondition> conditions = new ArrayList<>();
        for (int i = 0; i < actions.length; i++) {
            MetricCondition condition = absolute("cpu_percent", ">", 90 + i, 1);
            conditions.add(condition);
            list.add(trigger(condition, 1, actions[i]));
        }
        EngineFixtures.Inputs inputs = inputs(rollout(triggers(list.toArray(Trigger[]::new)), status, stepIndex));
        for (MetricCondition condition : conditions) {
            inputs.triggerStat(condition, Observation.of(99, 10));
        }
        return inputs.evaluate();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PAUSE ROLLBACK,           ROLLBACK,  rollback on cpu_percent",
            "PAUSE STEP_BACK,          STEP_BACK, step-back on cpu_percent",
            "PAUSE,                    PAUSE,     pause on cpu_percent",
            "STEP_BACK ROLLBACK PAUSE, ROLLBACK,  rollback on cpu_percent",
            "STEP_BACK PAUSE STEP_BACK, STEP_BACK, step-back on cpu_percent",
    })
    void shouldLetTheMostSevereFiredTriggerWin(String fired, EngineAction expected, String winner) {
        TriggerAction[] actions = Arrays.stream(fired.split(" ")).map(TriggerAction::valueOf).toArray(TriggerAction[]::new);

        Decision decision = allFire(RolloutStatus.ACTIVE, 1, actions);

        assertEquals(expected, decision.action(), decision.reason());
        assertTrue(decision.reason().contains("(" + winner + ")"), decision.reason());
        assertFalse(decision.readyToAdvance());
    }

    /** What the state machine allows: a completed rollout only rolls back, step 0 cannot step back, a paused one cannot pause. */
    @ParameterizedTest(name = "{2} fired in {0} at step {1} -> {3}")
    @CsvSource({
            "ACTIVE,    1, STEP_BACK, STEP_BACK, step back to canary",
            "ACTIVE,    0, STEP_BACK, ROLLBACK,  step-back at the first step (canary) escalates to rollback",
            "PAUSED,    0, STEP_BACK, ROLLBACK,  step-back at the first step (canary) escalates to rollback",
            "PAUSED,    1, STEP_BACK, STEP_BACK, step back to canary",
            "PAUSED,    1, PAUSE,     NONE,      pause, but the rollout is already paused",
            "PAUSED,    1, ROLLBACK,  ROLLBACK,  roll back",
            "ACTIVE,    1, PAUSE,     PAUSE,     pause",
            "COMPLETED, 1, PAUSE,     ROLLBACK,  a completed rollout within its watch period can only roll back",
            "COMPLETED, 1, STEP_BACK, ROLLBACK,  a completed rollout within its watch period can only roll back",
            "COMPLETED, 1, ROLLBACK,  ROLLBACK,  roll back (completed, within the watch period)",
    })
    void shouldMapTheFiredActionToWhatTheStatusAllows(RolloutStatus status, int stepIndex, TriggerAction fired, EngineAction expected, String why) {
        Decision decision = allFire(status, stepIndex, fired);

        assertEquals(expected, decision.action(), decision.reason());
        assertTrue(decision.reason().contains(why), decision.reason());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DRAFT", "ROLLED_BACK"})
    void shouldNotWatchTriggersBeforeStartOrAfterRollback(RolloutStatus status) {
        Decision decision = inputs(rollout(triggers(trigger(absolute("cpu_percent", ">", 90, 1), 1, TriggerAction.ROLLBACK)), status, 0))
                .triggerStat(absolute("cpu_percent", ">", 90, 1), Observation.of(99, 10))
                .streak(0, 4)
                .evaluate();

        assertEquals(EngineAction.NONE, decision.action());
        TriggerResult result = decision.triggers().get(0);
        assertFalse(result.breached());
        assertFalse(result.fired());
        assertEquals(0, result.streak());
        assertTrue(result.detail().startsWith("not watched"), result.detail());
    }

    /** updatedAt is when the rollout completed; the watch period runs from there, end exclusive. */
    @ParameterizedTest(name = "{0} after completion, watch {1} -> {2}")
    @CsvSource({
            "PT1M,       ,     ROLLBACK",
            "PT23H59M59S, ,    ROLLBACK",
            "PT24H,      ,     NONE",
            "PT25H,      ,     NONE",
            "PT59M,      PT1H, ROLLBACK",
            "PT1H,       PT1H, NONE",
            "P3D,        P7D,  ROLLBACK",
    })
    void shouldWatchACompletedRolloutForTheWatchPeriod(Duration sinceCompletion, Duration watch, EngineAction expected) {
        MetricCondition memory = absolute("memory_bytes", ">", 2 * GIB, 1);
        Decision decision = inputs(rollout(triggers(trigger(memory, 1, TriggerAction.ROLLBACK)), RolloutStatus.COMPLETED, 1))
                .triggerStat(memory, Observation.of(3 * GIB, 10))
                .at(ENTERED.plus(sinceCompletion))
                .watch(watch)
                .evaluate();

        assertEquals(expected, decision.action(), decision.reason());
    }

    @ParameterizedTest(name = "status {0}, auto-advance {1}")
    @CsvSource({"ACTIVE, true", "ACTIVE, false", "PAUSED, true", "PAUSED, false"})
    void shouldActOnAFiredTriggerEvenWhenPausedOrWithoutAutoAdvance(RolloutStatus status, boolean autoAdvance) {
        MetricCondition errors = absolute("error_rate", ">", 0.05, 1000);
        Plan plan = triggers(trigger(errors, 2, TriggerAction.ROLLBACK));

        Decision decision = inputs(rollout(plan, status, 1, autoAdvance, List.of("s-1")))
                .triggerStat(errors, Observation.rate(620, 10_000))
                .streak(0, 1)
                .evaluate();

        assertEquals(EngineAction.ROLLBACK, decision.action());
        assertEquals("trigger breached: new-path error_rate 6.20% (620 of 10,000 cycles, lower 95% bound 5.74%) > 5.00%"
                + " for 2 consecutive evaluations (rollback on error_rate): roll back", decision.reason());
    }

    @Test
    void shouldNameEveryOtherFiredTrigger() {
        Decision decision = allFire(RolloutStatus.ACTIVE, 1, TriggerAction.PAUSE, TriggerAction.ROLLBACK, TriggerAction.STEP_BACK);

        assertTrue(decision.reason().endsWith("; also fired: pause on cpu_percent, step-back on cpu_percent"), decision.reason());
    }
}
