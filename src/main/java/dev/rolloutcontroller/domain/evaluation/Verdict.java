package dev.rolloutcontroller.domain.evaluation;

/** A gate's state in one evaluation. PENDING means "not enough to say yet", and is never a pass. */
public enum Verdict {
    PASS,
    FAIL,
    PENDING
}
