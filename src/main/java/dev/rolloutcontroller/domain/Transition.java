package dev.rolloutcontroller.domain;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The outcome of applying an action: the rollout's next version, or why not and what is possible instead. */
public sealed interface Transition permits Transition.Applied, Transition.Rejected {

    record Applied(Rollout rollout) implements Transition {
    }

    record Rejected(RolloutStatus status, Set<Action> allowed, String message) implements Transition {
        public Rejected {
            // An EnumSet keeps the declaration order, so "allowed" reads the same in every message.
            EnumSet<Action> ordered = EnumSet.noneOf(Action.class);
            ordered.addAll(allowed);
            allowed = Collections.unmodifiableSet(ordered);
        }
    }
}
