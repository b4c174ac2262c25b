package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Plan;

import java.util.Optional;

/**
 * One gate's verdict in one evaluation, with what was seen and what was needed.
 *
 * @param step      the name of the step the gate belongs to
 * @param phase     {@code "exit"} (a gate of the current step) or {@code "entry"} (of the next step)
 * @param index     the gate's position in its step's list
 * @param kind      the gate's wire kind ({@code soak}, {@code sign-off}, {@code metric}, {@code smoke}, {@code condition})
 * @param observed  soak: seconds in the step; metric: the figure (the point estimate for rates); smoke: checks
 *                  passed; condition: canary sessions; null when nothing was seen
 * @param threshold soak: seconds needed; metric: the limit (after baseline × factor + offset); smoke: checks
 *                  listed; null when unknown (e.g. no baseline yet) or not applicable
 * @param samples   metric: the sample size; smoke: checks with a result; else null
 * @param detail    a human sentence: what was seen against what was needed
 */
public record GateResult(
        String step,
        String phase,
        int index,
        String kind,
        String description,
        Verdict verdict,
        Double observed,
        Double threshold,
        Long samples,
        String detail) {

    public static final String EXIT = "exit";
    public static final String ENTRY = "entry";

    /** The role a sign-off gate waits for, looked up in the plan the result came from. */
    public Optional<String> signOffRole(Plan plan) {
        return plan.steps().stream().filter(s -> s.name().equals(step)).findFirst()
                .map(s -> EXIT.equals(phase) ? s.exitGates() : s.entryGates())
                .filter(gates -> index < gates.size())
                .map(gates -> gates.get(index))
                .filter(Gate.SignOff.class::isInstance)
                .map(gate -> ((Gate.SignOff) gate).role());
    }
}
