package dev.rolloutcontroller.domain;

import static dev.rolloutcontroller.domain.Fixtures.NOW;
import static dev.rolloutcontroller.domain.Fixtures.STEP_ENTERED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutStateMachineTest {

    /** Three steps (10%, 50%, 100%): index 1 is a middle step, so both advance and step-back can move. */
    private static Rollout rollout(RolloutStatus status, int stepIndex) {
        return Fixtures.rollout(Fixtures.plan(10, 50, 100), status, stepIndex, List.of("s-1", "s-2"));
    }

    /**
     * Every status × action from a middle step (COMPLETED sits at the last step), then the edges.
     * expected: the status after, or REJECTED; clock: whether stepEnteredAt restarts at now.
     */
    @ParameterizedTest(name = "{0} at step {1} + {2} -> {3} at step {4}")
    @CsvSource({
            "DRAFT,       1, START,     ACTIVE,      0, true",
            "DRAFT,       1, ADVANCE,   REJECTED,    ,  ",
            "DRAFT,       1, STEP_BACK, REJECTED,    ,  ",
            "DRAFT,       1, PAUSE,     REJECTED,    ,  ",
            "DRAFT,       1, RESUME,    REJECTED,    ,  ",
            "DRAFT,       1, ROLLBACK,  REJECTED,    ,  ",
            "DRAFT,       1, RESTART,   REJECTED,    ,  ",
            "ACTIVE,      1, START,     REJECTED,    ,  ",
            "ACTIVE,      1, ADVANCE,   ACTIVE,      2, true",
            "ACTIVE,      1, STEP_BACK, ACTIVE,      0, true",
            "ACTIVE,      1, PAUSE,     PAUSED,      1, false",
            "ACTIVE,      1, RESUME,    REJECTED,    ,  ",
            "ACTIVE,      1, ROLLBACK,  ROLLED_BACK, 1, false",
            "ACTIVE,      1, RESTART,   REJECTED,    ,  ",
            "PAUSED,      1, START,     REJECTED,    ,  ",
            "PAUSED,      1, ADVANCE,   REJECTED,    ,  ",
            "PAUSED,      1, STEP_BACK, PAUSED,      0, true",
            "PAUSED,      1, PAUSE,     REJECTED,    ,  ",
            "PAUSED,      1, RESUME,    ACTIVE,      1, false",
            "PAUSED,      1, ROLLBACK,  ROLLED_BACK, 1, false",
            "PAUSED,      1, RESTART,   REJECTED,    ,  ",
            "COMPLETED,   2, START,     REJECTED,    ,  ",
            "COMPLETED,   2, ADVANCE,   REJECTED,    ,  ",
            "COMPLETED,   2, STEP_BACK, REJECTED,    ,  ",
            "COMPLETED,   2, PAUSE,     REJECTED,    ,  ",
            "COMPLETED,   2, RESUME,    REJECTED,    ,  ",
            "COMPLETED,   2, ROLLBACK,  ROLLED_BACK, 2, false",
            "COMPLETED,   2, RESTART,   REJECTED,    ,  ",
            "ROLLED_BACK, 1, START,     REJECTED,    ,  ",
            "ROLLED_BACK, 1, ADVANCE,   REJECTED,    ,  ",
            "ROLLED_BACK, 1, STEP_BACK, REJECTED,    ,  ",
            "ROLLED_BACK, 1, PAUSE,     REJECTED,    ,  ",
            "ROLLED_BACK, 1, RESUME,    REJECTED,    ,  ",
            "ROLLED_BACK, 1, ROLLBACK,  REJECTED,    ,  ",
            "ROLLED_BACK, 1, RESTART,   DRAFT,       0, true",
            // edges: the first and the last step
            "DRAFT,       0, START,     ACTIVE,      0, true",
            "ACTIVE,      0, ADVANCE,   ACTIVE,      1, true",
            "ACTIVE,      0, STEP_BACK, REJECTED,    ,  ",
            "PAUSED,      0, STEP_BACK, REJECTED,    ,  ",
            "ACTIVE,      2, ADVANCE,   COMPLETED,   2, false",
            "ACTIVE,      2, STEP_BACK, ACTIVE,      1, true",
            "PAUSED,      2, ADVANCE,   REJECTED,    ,  ",
            "ACTIVE,      0, ROLLBACK,  ROLLED_BACK, 0, false",
            "ROLLED_BACK, 2, RESTART,   DRAFT,       0, true",
    })
    void shouldApplyOnlyTheActionsTheStatusAllows(
            RolloutStatus status, int stepIndex, Action action, String expected, Integer stepAfter, Boolean clockRestarts) {
        Rollout before = rollout(status, stepIndex);

        Transition transition = RolloutStateMachine.apply(before, action, NOW);

        if (expected.equals("REJECTED")) {
            Transition.Rejected rejected = assertInstanceOf(Transition.Rejected.class, transition);
            assertEquals(status, rejected.status());
            assertEquals(RolloutStateMachine.allowedActions(before), rejected.allowed());
            return;
        }
        Rollout after = assertInstanceOf(Transition.Applied.class, transition).rollout();
        assertEquals(RolloutStatus.valueOf(expected), after.status());
        assertEquals(stepAfter, after.stepIndex());
        assertEquals(before.version() + 1, after.version());
        assertEquals(NOW, after.updatedAt());
        assertEquals(clockRestarts ? NOW : STEP_ENTERED, after.stepEnteredAt());
        // Nothing but status, step, version and times changes: the canary list survives even a restart.
        assertEquals(before.key(), after.key());
        assertEquals(before.canarySessions(), after.canarySessions());
        assertEquals(before.plan(), after.plan());
        assertEquals(before.createdAt(), after.createdAt());
        assertEquals(before.env(), after.env());
        assertEquals(before.autoAdvance(), after.autoAdvance());
    }

    @ParameterizedTest(name = "{0} at step {1} allows {2}")
    @CsvSource({
            "DRAFT,       0, start",
            "ACTIVE,      0, advance pause rollback",
            "ACTIVE,      1, advance step-back pause rollback",
            "ACTIVE,      2, advance step-back pause rollback",
            "PAUSED,      0, resume rollback",
            "PAUSED,      1, step-back resume rollback",
            "COMPLETED,   2, rollback",
            "ROLLED_BACK, 1, restart",
    })
    void shouldListTheAllowedActionsInOrder(RolloutStatus status, int stepIndex, String expected) {
        String allowed = RolloutStateMachine.allowedActions(rollout(status, stepIndex)).stream()
                .map(Action::wireName).collect(Collectors.joining(" "));
        assertEquals(expected, allowed);
    }

    @ParameterizedTest(name = "{0} at step {1} + {2}")
    @CsvSource(delimiter = '|', value = {
            "DRAFT       | 0 | ADVANCE   | cannot advance a rollout that is DRAFT; allowed: start",
            "ACTIVE      | 1 | RESUME    | cannot resume a rollout that is ACTIVE; allowed: advance, step-back, pause, rollback",
            "PAUSED      | 1 | ADVANCE   | cannot advance a rollout that is PAUSED; allowed: step-back, resume, rollback",
            "COMPLETED   | 2 | STEP_BACK | cannot step-back a rollout that is COMPLETED; allowed: rollback",
            "ROLLED_BACK | 1 | ROLLBACK  | cannot rollback a rollout that is ROLLED_BACK; allowed: restart",
            "ACTIVE      | 0 | STEP_BACK | cannot step-back: already at the first step; allowed: advance, pause, rollback",
            "PAUSED      | 0 | STEP_BACK | cannot step-back: already at the first step; allowed: resume, rollback",
    })
    void shouldRejectNamingTheStatusAndTheAllowedActions(RolloutStatus status, int stepIndex, Action action, String message) {
        Transition transition = RolloutStateMachine.apply(rollout(status, stepIndex), action, NOW);

        assertEquals(message, assertInstanceOf(Transition.Rejected.class, transition).message());
    }
}
