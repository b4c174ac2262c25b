package dev.rolloutcontroller.persistence;

import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.Validated;

/** Between the row and the domain record; the plan is stored in its wire form and re-validated on load. */
public final class RolloutMapping {

    private RolloutMapping() {
    }

    public static Rollout toDomain(RolloutEntity row) {
        Validated<Plan> plan = PlanSpecs.toPlan(row.plan, "plan");
        if (plan instanceof Validated.Invalid<Plan> invalid) {
            throw new IllegalStateException("stored plan of rollout " + row.key + " is invalid: " + invalid.errors());
        }
        return new Rollout(row.key, row.description, row.status, row.stepIndex, ((Validated.Valid<Plan>) plan).value(), row.canarySessions,
                row.autoAdvance, row.version, row.createdAt, row.updatedAt, row.stepEnteredAt,
                new EnvMapping(row.envPrefix, row.flagVariable), row.stickinessGroup);
    }

    /** Copies the domain state onto the row (a new row or the locked current one). */
    public static RolloutEntity copyOnto(Rollout rollout, RolloutEntity row) {
        row.key = rollout.key();
        row.description = rollout.description();
        row.status = rollout.status();
        row.stepIndex = rollout.stepIndex();
        row.plan = PlanSpecs.fromPlan(rollout.plan());
        row.canarySessions = rollout.canarySessions();
        row.autoAdvance = rollout.autoAdvance();
        row.version = rollout.version();
        row.createdAt = rollout.createdAt();
        row.updatedAt = rollout.updatedAt();
        row.stepEnteredAt = rollout.stepEnteredAt();
        row.envPrefix = rollout.env().envPrefix();
        row.flagVariable = rollout.env().flagVariable();
        row.stickinessGroup = rollout.stickinessGroup();
        return row;
    }
}
