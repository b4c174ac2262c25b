package dev.rolloutcontroller.domain;

import java.util.Set;

/** The contract the daemons rely on: whether a session is on the new path. Pure, so every replica agrees. */
public final class FlagRules {

    private FlagRules() {
    }

    /**
     * @param canary the rollout's canary list as a set, precomputed once per rollout version by the hot path
     */
    public static FlagDecision decide(Rollout rollout, Set<String> canary, String sessionId) {
        int bucket = Bucketing.bucket(rollout.group(), sessionId);
        return switch (rollout.status()) {
            case DRAFT -> new FlagDecision(false, DecisionReason.DRAFT, bucket);
            case ROLLED_BACK -> new FlagDecision(false, DecisionReason.ROLLED_BACK, bucket);
            case ACTIVE, PAUSED, COMPLETED -> live(rollout, canary, sessionId, bucket);
        };
    }

    private static FlagDecision live(Rollout rollout, Set<String> canary, String sessionId, int bucket) {
        int percentage = rollout.percentage();
        // A shadow step runs both paths side by side and switches nobody, not even the canary list.
        if (rollout.shadowMode()) {
            return new FlagDecision(false, DecisionReason.SHADOW, bucket);
        }
        if (rollout.status() == RolloutStatus.COMPLETED || percentage == 100) {
            return new FlagDecision(true, DecisionReason.FULL, bucket);
        }
        if (canary.contains(sessionId)) {
            return new FlagDecision(true, DecisionReason.CANARY_LIST, bucket);
        }
        if (percentage > 0 && bucket <= percentage) {
            return new FlagDecision(true, DecisionReason.PERCENTAGE, bucket);
        }
        return new FlagDecision(false, DecisionReason.NOT_SELECTED, bucket);
    }
}
