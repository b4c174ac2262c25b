package dev.rolloutcontroller.api;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.evaluator.EvaluationView;
import dev.rolloutcontroller.service.RolloutService.StoredRollout;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A rollout as the operator API shows it; null members (no plan in a list, no evaluation after a change) are left out. */
public record RolloutResponse(String key, String description, RolloutStatus status, String step, int stepIndex,
                              int percentage, List<String> canarySessions, boolean shadowMode, boolean autoAdvance,
                              boolean readyToAdvance, long version, List<String> allowedActions,
                              Instant createdAt, Instant updatedAt, Instant stepEnteredAt,
                              String envPrefix, String flagVariable, String stickinessGroup, PlanSpec plan,
                              Evaluation evaluation,
                              @Schema(description = "When the evaluator starts this draft; absent when it is not scheduled")
                              Instant startAt) {

    /**
     * The gates and triggers of the current (and next) step as they stand now, what the evaluator
     * would do about them, and its last recorded pass.
     */
    public record Evaluation(String wouldDo, String reason, List<GateResult> exitGates, List<GateResult> entryGates,
                             List<TriggerResult> triggers, EvaluationView lastEvaluation) {
    }

    static RolloutResponse of(StoredRollout stored) {
        return of(stored, null);
    }

    /** As listed: everything but the plan (and the evaluation, which only one rollout's read computes). */
    static RolloutResponse summary(StoredRollout stored) {
        RolloutResponse full = of(stored, null);
        return new RolloutResponse(full.key, full.description, full.status, full.step, full.stepIndex, full.percentage,
                full.canarySessions, full.shadowMode, full.autoAdvance, full.readyToAdvance, full.version,
                full.allowedActions, full.createdAt, full.updatedAt, full.stepEnteredAt, full.envPrefix,
                full.flagVariable, full.stickinessGroup, null, null, full.startAt);
    }

    static RolloutResponse of(StoredRollout stored, Evaluation evaluation) {
        Rollout r = stored.rollout();
        List<String> allowed = RolloutStateMachine.allowedActions(r).stream().map(Action::wireName).sorted().toList();
        return new RolloutResponse(r.key(), r.description(), r.status(), r.currentStep().name(), r.stepIndex(),
                r.percentage(), r.canarySessions(), r.shadowMode(), r.autoAdvance(), stored.readyToAdvance(),
                r.version(), allowed, r.createdAt(), r.updatedAt(), r.stepEnteredAt(),
                r.env().envPrefix(), r.env().flagVariable(), r.group(), PlanSpecs.fromPlan(r.plan()), evaluation,
                stored.startAt());
    }
}
