package dev.rolloutcontroller.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which action is possible in which status, and what it does. A pure function of the rollout, the
 * action and the time, so the table of every status × action is the whole specification.
 */
public final class RolloutStateMachine {

    private RolloutStateMachine() {
    }

    /** The actions {@link #apply} accepts now, in declaration order. */
    public static Set<Action> allowedActions(Rollout rollout) {
        EnumSet<Action> allowed = switch (rollout.status()) {
            case DRAFT -> EnumSet.of(Action.START);
            case ACTIVE -> EnumSet.of(Action.ADVANCE, Action.STEP_BACK, Action.PAUSE, Action.ROLLBACK);
            case PAUSED -> EnumSet.of(Action.STEP_BACK, Action.RESUME, Action.ROLLBACK);
            case COMPLETED -> EnumSet.of(Action.ROLLBACK);
            case ROLLED_BACK -> EnumSet.of(Action.RESTART);
        };
        if (rollout.stepIndex() == 0) {
            allowed.remove(Action.STEP_BACK);
        }
        return Collections.unmodifiableSet(allowed);
    }

    /** Every applied action bumps the version and stamps {@code updatedAt}; the step clock restarts only with the step. */
    public static Transition apply(Rollout rollout, Action action, Instant now) {
        Set<Action> allowed = allowedActions(rollout);
        if (!allowed.contains(action)) {
            return new Transition.Rejected(rollout.status(), allowed, rejection(rollout, action, allowed));
        }
        int step = rollout.stepIndex();
        Rollout next = switch (action) {
            case START -> moved(rollout, RolloutStatus.ACTIVE, 0, now);
            case ADVANCE -> step == rollout.plan().lastStepIndex()
                    ? moved(rollout, RolloutStatus.COMPLETED, step, rollout.stepEnteredAt(), now)
                    : moved(rollout, RolloutStatus.ACTIVE, step + 1, now);
            case STEP_BACK -> moved(rollout, rollout.status(), step - 1, now);
            case PAUSE -> moved(rollout, RolloutStatus.PAUSED, step, rollout.stepEnteredAt(), now);
            case RESUME -> moved(rollout, RolloutStatus.ACTIVE, step, rollout.stepEnteredAt(), now);
            case ROLLBACK -> moved(rollout, RolloutStatus.ROLLED_BACK, step, rollout.stepEnteredAt(), now);
            case RESTART -> moved(rollout, RolloutStatus.DRAFT, 0, now);
        };
        return new Transition.Applied(next);
    }

    private static String rejection(Rollout rollout, Action action, Set<Action> allowed) {
        String allowedText = allowed.stream().map(Action::wireName).collect(Collectors.joining(", "));
        boolean atFirstStep = action == Action.STEP_BACK
                && (rollout.status() == RolloutStatus.ACTIVE || rollout.status() == RolloutStatus.PAUSED);
        String why = atFirstStep
                ? "cannot step-back: already at the first step"
                : "cannot " + action.wireName() + " a rollout that is " + rollout.status();
        return why + "; allowed: " + allowedText;
    }

    /** The action enters a step (possibly the same one again, as start and restart do): its clock restarts. */
    private static Rollout moved(Rollout rollout, RolloutStatus status, int stepIndex, Instant now) {
        return moved(rollout, status, stepIndex, now, now);
    }

    private static Rollout moved(Rollout rollout, RolloutStatus status, int stepIndex, Instant stepEnteredAt, Instant now) {
        return new Rollout(rollout.key(), rollout.description(), status, stepIndex, rollout.plan(), rollout.canarySessions(),
                rollout.autoAdvance(), rollout.version() + 1, rollout.createdAt(), now, stepEnteredAt, rollout.env(),
                rollout.stickinessGroup());
    }
}
