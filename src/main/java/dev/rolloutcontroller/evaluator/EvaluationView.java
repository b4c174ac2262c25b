package dev.rolloutcontroller.evaluator;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One evaluation as the API shows it: every verdict with the value it saw, and what was done.
 * {@code failure} is present only when the decided action could not be applied (the next pass retries);
 * {@code leaseEpoch} names the evaluator leader that decided (null for an operator's evaluate-now);
 * {@code planVersion} the version of the plan it judged with ({@code GET .../plan/history}).
 */
public record EvaluationView(Long id, Instant evaluatedAt, long rolloutVersion, String status, String step, String action,
                             String reason, boolean readyToAdvance, List<GateResult> exitGates, List<GateResult> entryGates,
                             List<TriggerResult> triggers, Map<String, Object> convergence,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String failure, Long leaseEpoch,
                             @Schema(minimum = "1", description = "The plan version this pass judged with") int planVersion) {

    public static EvaluationView of(EvaluationEntity e) {
        return new EvaluationView(e.id, e.evaluatedAt, e.rolloutVersion, e.status, e.step, e.action, e.reason,
                e.readyToAdvance, e.exitGates, e.entryGates, e.triggers, e.convergence, e.failure, e.leaseEpoch,
                e.planVersion);
    }
}
