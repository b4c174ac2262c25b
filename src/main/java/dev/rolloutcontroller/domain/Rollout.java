package dev.rolloutcontroller.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rollout's whole state at one version. Immutable: every change is a new value with
 * {@code version + 1}, which is what optimistic locking compares.
 *
 * @param stickinessGroup the hash group for bucketing; null means the key (see {@link #group()})
 */
public record Rollout(
        String key,
        String description,
        RolloutStatus status,
        int stepIndex,
        Plan plan,
        List<String> canarySessions,
        boolean autoAdvance,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant stepEnteredAt,
        EnvMapping env,
        String stickinessGroup) {

    public Rollout {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(plan, "plan");
        canarySessions = List.copyOf(canarySessions);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(stepEnteredAt, "stepEnteredAt");
        Objects.requireNonNull(env, "env");
        if (stepIndex < 0 || stepIndex > plan.lastStepIndex()) {
            throw new IllegalArgumentException("stepIndex " + stepIndex + " outside the plan's steps 0.." + plan.lastStepIndex());
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /** A new rollout, not yet started: version 1, at the first step. */
    public static Rollout draft(
            String key,
            String description,
            Plan plan,
            List<String> canary,
            boolean autoAdvance,
            EnvMapping env,
            String stickinessGroup,
            Instant now) {
        return new Rollout(key, description, RolloutStatus.DRAFT, 0, plan, canary, autoAdvance, 1, now, now, now, env, stickinessGroup);
    }

    public Step currentStep() {
        return plan.steps().get(stepIndex);
    }

    public Optional<Step> nextStep() {
        return stepIndex < plan.lastStepIndex() ? Optional.of(plan.steps().get(stepIndex + 1)) : Optional.empty();
    }

    /** Share of sessions on the new path: 0 before start and after rollback, else the current step's (100 once completed). */
    public int percentage() {
        return switch (status) {
            case DRAFT, ROLLED_BACK -> 0;
            case ACTIVE, PAUSED, COMPLETED -> currentStep().percentage();
        };
    }

    /** Both paths run side by side, nobody switched: only while a shadow step is live. */
    public boolean shadowMode() {
        return (status == RolloutStatus.ACTIVE || status == RolloutStatus.PAUSED) && currentStep().shadow();
    }

    /** The hash group of the bucketing; an explicit group lets a migration keep another flag system's buckets. */
    public String group() {
        return stickinessGroup == null ? key : stickinessGroup;
    }

    /** The same rollout with its canary list replaced (a configuration change, so a new version). */
    public Rollout withCanarySessions(List<String> sessions, Instant now) {
        return new Rollout(key, description, status, stepIndex, plan, sessions, autoAdvance, version + 1,
                createdAt, now, stepEnteredAt, env, stickinessGroup);
    }
}
