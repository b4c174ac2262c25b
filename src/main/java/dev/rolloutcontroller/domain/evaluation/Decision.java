package dev.rolloutcontroller.domain.evaluation;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Collections;

/**
 * The outcome of one evaluation: the action, why (one sentence), and every gate and trigger behind it.
 *
 * @param exitGates      the current step's exit gates
 * @param entryGates     the next step's entry gates; empty at the last step
 * @param streaks        trigger index → consecutive breaches after this evaluation; store them and pass them back
 *                       as the next evaluation's {@code previousStreaks}
 * @param reason         at most {@link #MAX_REASON} characters: the engine builds it from clipped parts and clips
 *                       the whole, so no plan text can make the reason of an automatic action too long to store
 * @param readyToAdvance true only with {@link EngineAction#MARK_READY}: every gate passes and the rollout waits for
 *                       an operator. False with ADVANCE, since the step entered next starts unready.
 */
public record Decision(
        EngineAction action,
        String reason,
        List<GateResult> exitGates,
        List<GateResult> entryGates,
        List<TriggerResult> triggers,
        Map<Integer, Integer> streaks,
        boolean readyToAdvance) {

    /** The longest reason a decision carries: well within what an audit event and the journal store. */
    public static final int MAX_REASON = 1000;

    public Decision {
        Objects.requireNonNull(action, "action");
        reason = Format.clip(Objects.requireNonNull(reason, "reason"), MAX_REASON);
        exitGates = List.copyOf(exitGates);
        entryGates = List.copyOf(entryGates);
        triggers = List.copyOf(triggers);
        streaks = Collections.unmodifiableMap(new TreeMap<>(streaks));
    }
}
