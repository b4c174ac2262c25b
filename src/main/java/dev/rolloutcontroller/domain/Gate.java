package dev.rolloutcontroller.domain;

import java.util.List;
import java.util.Objects;

/**
 * A condition a step must meet before the rollout enters it (entry gate) or leaves it (exit gate).
 * The description carries the checklist's own wording, so an operator recognises the item.
 */
public sealed interface Gate permits Gate.Soak, Gate.SignOff, Gate.MetricGate, Gate.Smoke, Gate.Condition {

    String SOAK = "soak";
    String SIGN_OFF = "sign-off";
    String METRIC = "metric";
    String SMOKE = "smoke";
    String CONDITION = "condition";

    /** The wire name of the gate's kind, one of {@link Vocabulary#GATE_KINDS}. */
    String kind();

    String description();

    /** Time spent in the step; the duration is the step's own soak, so it cannot disagree with it. */
    record Soak(String description) implements Gate {
        public Soak {
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String kind() {
            return SOAK;
        }
    }

    /** A named role (one of {@link Vocabulary#SIGN_OFF_ROLES}) must approve. */
    record SignOff(String role, String description) implements Gate {
        public SignOff {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String kind() {
            return SIGN_OFF;
        }
    }

    record MetricGate(MetricCondition condition, String description) implements Gate {
        public MetricGate {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String kind() {
            return METRIC;
        }
    }

    /** The latest result of each listed check (from {@link Vocabulary#SMOKE_CHECKS}) passed. */
    record Smoke(List<String> checks, String description) implements Gate {
        public Smoke {
            checks = List.copyOf(checks);
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String kind() {
            return SMOKE;
        }
    }

    /** A named fact about the rollout itself, one of {@link Vocabulary#CONDITIONS}. */
    record Condition(String condition, String description) implements Gate {
        public Condition {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String kind() {
            return CONDITION;
        }
    }
}
