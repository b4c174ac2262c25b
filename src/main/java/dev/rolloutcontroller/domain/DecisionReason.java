package dev.rolloutcontroller.domain;

/** Why a session got the value it got; shown to daemons and in OFREP responses. */
public enum DecisionReason {
    CANARY_LIST,
    PERCENTAGE,
    FULL,
    NOT_SELECTED,
    SHADOW,
    DRAFT,
    ROLLED_BACK
}
