package dev.rolloutcontroller.domain;

import java.util.Objects;

/** A rollback trigger: when the condition holds for {@code consecutive} evaluations in a row, act. */
public record Trigger(MetricCondition condition, int consecutive, TriggerAction action, String description) {

    public Trigger {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(description, "description");
        if (consecutive < 1) {
            throw new IllegalArgumentException("consecutive must be at least 1");
        }
    }
}
