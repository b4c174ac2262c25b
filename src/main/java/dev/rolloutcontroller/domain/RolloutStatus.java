package dev.rolloutcontroller.domain;

/** Lifecycle of a rollout. The constant names are also the wire names. */
public enum RolloutStatus {
    DRAFT,
    ACTIVE,
    PAUSED,
    COMPLETED,
    ROLLED_BACK
}
