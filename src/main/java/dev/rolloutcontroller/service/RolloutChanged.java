package dev.rolloutcontroller.service;

import dev.rolloutcontroller.domain.Rollout;

/** Fired inside the transaction of every rollout change; observe it AFTER_SUCCESS to act on committed state. */
public record RolloutChanged(Rollout rollout) {
}
