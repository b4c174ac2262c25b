package dev.rolloutcontroller.domain;

/** Whether one session runs the new path, why, and its bucket (always computed, to make decisions explainable). */
public record FlagDecision(boolean enabled, DecisionReason reason, int bucket) {
}
