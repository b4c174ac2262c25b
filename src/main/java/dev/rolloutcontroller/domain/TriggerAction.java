package dev.rolloutcontroller.domain;

import java.util.Optional;

/** What a breached trigger does to the rollout. */
public enum TriggerAction {
    ROLLBACK("rollback"),
    STEP_BACK("step-back"),
    PAUSE("pause");

    private final String wireName;

    TriggerAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<TriggerAction> fromWireName(String wireName) {
        for (TriggerAction action : values()) {
            if (action.wireName.equals(wireName)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
