package dev.rolloutcontroller.service;

import dev.rolloutcontroller.domain.Rollout;

import java.util.Map;

/**
 * The gates an operator's start and advance must pass, judged on live data. {@link RolloutService}
 * asks under the row lock, just before applying the action; the evaluator implements it (it owns
 * the statistics), so the service depends on this question and not on the evaluator.
 */
public interface GateCheck {

    /** Refuses (409 listing the gates) unless the first step's entry gates pass. */
    void requireStartGates(Rollout draft);

    /**
     * Refuses (409) while a trigger is breached, and, unless {@code force}, while an exit gate of the
     * step or an entry gate of the next has not passed.
     *
     * @return the baseline figures of the step being left (see {@code RolloutEngine.baselineFrom})
     */
    Map<String, Double> requireAdvanceGates(Rollout active, boolean force);
}
