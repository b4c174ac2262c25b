package dev.rolloutcontroller.domain;

import java.util.List;

/** Wire form of a {@link Step}; {@code soak} is an ISO-8601 duration such as {@code PT4H}. */
public record StepSpec(String name, Integer percentage, String soak, Boolean shadow, List<GateSpec> entryGates, List<GateSpec> exitGates) {
}
