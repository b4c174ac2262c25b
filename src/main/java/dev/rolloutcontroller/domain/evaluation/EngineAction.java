package dev.rolloutcontroller.domain.evaluation;

/**
 * What the evaluator should do after one pass. Each maps to at most one state-machine action:
 * ADVANCE, ROLLBACK, STEP_BACK and PAUSE to the action of that name; MARK_READY changes no status, it
 * records that every gate passes and an operator may advance; NONE does nothing.
 */
public enum EngineAction {
    NONE,
    ADVANCE,
    MARK_READY,
    ROLLBACK,
    STEP_BACK,
    PAUSE
}
