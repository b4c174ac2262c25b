package dev.rolloutcontroller.domain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One phase of a plan: the share of sessions on the new path, the minimum time to stay, and the
 * gates to enter (the checklist's "Pre-Flight") and to leave (its "Validation"). A shadow step
 * switches nobody but runs both paths side by side.
 */
public record Step(String name, int percentage, Duration soak, boolean shadow, List<Gate> entryGates, List<Gate> exitGates) {

    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(soak, "soak");
        entryGates = List.copyOf(entryGates);
        exitGates = List.copyOf(exitGates);
    }
}
