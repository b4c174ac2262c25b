package dev.rolloutcontroller.domain;

import java.util.List;

/**
 * Wire form of a {@link Plan}, as an operator submits it; {@link PlanSpecs} validates and converts it.
 * {@code deploymentWindows} and {@code freezes} are absent (null) when the plan has none.
 */
public record PlanSpec(List<StepSpec> steps, List<TriggerSpec> triggers,
                       List<DeploymentWindowSpec> deploymentWindows, List<FreezeSpec> freezes) {

    public PlanSpec(List<StepSpec> steps, List<TriggerSpec> triggers) {
        this(steps, triggers, null, null);
    }

    /** A weekly window: days (MON..SUN), from and to as HH:mm local time, an IANA zone such as Europe/Berlin. */
    public record DeploymentWindowSpec(List<String> days, String from, String to, String zone) {
    }

    /** An absolute period: from and to as ISO-8601 instants with an offset, and the reason people are told. */
    public record FreezeSpec(String from, String to, String reason) {
    }
}
