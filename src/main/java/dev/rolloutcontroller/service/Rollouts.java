package dev.rolloutcontroller.service;

import dev.rolloutcontroller.persistence.RolloutEntity;
import jakarta.persistence.LockModeType;

/** Finding a rollout's row or answering 404, the same way everywhere. */
public final class Rollouts {

    private Rollouts() {
    }

    /** The row, locked for this transaction: changes to one rollout serialise here. */
    public static RolloutEntity locked(String key) {
        RolloutEntity row = RolloutEntity.findById(key, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            throw notFound(key);
        }
        return row;
    }

    public static RolloutEntity existing(String key) {
        RolloutEntity row = RolloutEntity.findById(key);
        if (row == null) {
            throw notFound(key);
        }
        return row;
    }

    private static ServiceException notFound(String key) {
        return ServiceException.notFound("rollout '" + key + "'");
    }
}
