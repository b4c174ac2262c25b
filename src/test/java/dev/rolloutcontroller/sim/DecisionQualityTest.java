package dev.rolloutcontroller.sim;

import dev.rolloutcontroller.sim.SyntheticRollout.Fault;
import dev.rolloutcontroller.sim.SyntheticRollout.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision-quality harness on a few seeded rollouts of the default plan: healthy ones complete, clear faults roll back. */
class DecisionQualityTest {

    private static final DecisionQuality.Settings SETTINGS = DecisionQuality.Settings.defaults();

    @Test
    void shouldCompleteHealthyRolloutsAfterTheSoaksWithoutATriggerAction() {
        List<Outcome> outcomes = LongStream.range(0, 4)
                .mapToObj(seed -> new SyntheticRollout(SETTINGS, Fault.NONE, 0, Duration.ZERO, seed).run()).toList();
        for (Outcome outcome : outcomes) {
            assertNull(outcome.triggerAction(), "a healthy rollout was " + outcome.triggerAction() + " on " + outcome.firedMetric());
            assertTrue(outcome.completedAfter() != null && outcome.completedAfter().compareTo(Duration.ofHours(36)) >= 0
                            && outcome.completedAfter().compareTo(Duration.ofHours(37)) < 0,
                    "completes within an hour of the 36 h of soaks, took " + outcome.completedAfter());
        }
    }

    /** Within the trigger's 10-minute window: by then the window holds nothing but the fault. */
    @Test
    void shouldRollBackATenPercentErrorRateWithinTheTriggerWindow() {
        for (long seed = 0; seed < 4; seed++) {
            Outcome outcome = new SyntheticRollout(SETTINGS, Fault.ERROR_RATE, 0.10, Duration.ofHours(6), seed).run();
            assertEquals("ROLLBACK", outcome.triggerAction());
            assertEquals("error_rate", outcome.firedMetric());
            assertTrue(outcome.actedAfterMinSample().compareTo(Duration.ofMinutes(10)) <= 0,
                    "rolled back " + outcome.actedAfterMinSample() + " after the minimum sample");
        }
    }

    @Test
    void shouldRollBackADoubledCycleTimeOnTheTrigger() {
        for (long seed = 0; seed < 4; seed++) {
            Outcome outcome = new SyntheticRollout(SETTINGS, Fault.CYCLE_TIME, 2.0, Duration.ofHours(20), seed).run();
            assertEquals("ROLLBACK", outcome.triggerAction());
            assertEquals("cycle_time_p95_ms", outcome.firedMetric());
        }
    }

    /**
     * The blind spot at 100% (decision 0016): a 60% slower new path from 17.6 h, in the full step, where the daily
     * factor is 0.95 against the 1.0 at which the baseline was captured when the rollout left its 50% step (12 h). Against
     * the captured baseline alone 1.6 × 0.95 stays under 1.5; against its own previous hour it is a clear step.
     */
    @Test
    void shouldRollBackACycleTimeRegressionThatStartsAtTheFullStepAfterTheTimeOfDayMoved() {
        for (long seed = 0; seed < 4; seed++) {
            Outcome outcome = new SyntheticRollout(SETTINGS, Fault.CYCLE_TIME, 1.6, Duration.ofMinutes(17 * 60 + 36), seed).run();
            assertEquals("full (100%)", outcome.stepAtInjection());
            assertEquals("ROLLBACK", outcome.triggerAction(), "seed " + seed);
            assertEquals("cycle_time_p95_ms", outcome.firedMetric());
            assertTrue(outcome.actedAfterMinSample().compareTo(Duration.ofMinutes(10)) <= 0,
                    "rolled back " + outcome.actedAfterMinSample() + " after the minimum sample");
        }
    }
}
