package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.DeploymentCalendar;
import java.time.Instant;

/**
 * The deployment calendar applied to a decision: an advance outside the windows or inside a freeze becomes
 * MARK_READY (the rollout holds, ready) with a reason saying until when. Every other action passes unchanged:
 * rollback, step-back and pause are never held back by a window or a freeze.
 */
public final class CalendarHold {

    private CalendarHold() {
    }

    public static Decision apply(Decision decision, DeploymentCalendar calendar, Instant now) {
        if (decision.action() != EngineAction.ADVANCE) {
            return decision;
        }
        return calendar.hold(now)
                .map(hold -> new Decision(EngineAction.MARK_READY, "held, ready to advance: " + hold.message(),
                        decision.exitGates(), decision.entryGates(), decision.triggers(), decision.streaks(), true))
                .orElse(decision);
    }
}
