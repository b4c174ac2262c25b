package dev.rolloutcontroller.domain;

import java.util.List;

/** Wire form of a {@link Plan}, as an operator submits it; {@link PlanSpecs} validates and converts it. */
public record PlanSpec(List<StepSpec> steps, List<TriggerSpec> triggers) {
}
