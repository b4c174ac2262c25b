package dev.rolloutcontroller.domain;

import java.util.Optional;

/** An operator (or evaluator) command on a rollout; the wire name is the URL segment of the command. */
public enum Action {
    START("start"),
    ADVANCE("advance"),
    STEP_BACK("step-back"),
    PAUSE("pause"),
    RESUME("resume"),
    ROLLBACK("rollback"),
    RESTART("restart");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Action> fromWireName(String wireName) {
        for (Action action : values()) {
            if (action.wireName.equals(wireName)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
