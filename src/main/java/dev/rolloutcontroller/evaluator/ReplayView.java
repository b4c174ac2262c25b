package dev.rolloutcontroller.evaluator;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rolloutcontroller.domain.evaluation.Replay;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A what-if replay as the API shows it: the decisions the plan would have taken pass by pass (collapsed into runs
 * of equal passes) next to the journal's, the first point where they differ, and what the replay could not see.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayView(
        @Schema(required = true) String key,
        @Schema(required = true, enumeration = {"current", "submitted"}, description = "Which plan was replayed")
        String plan,
        @Schema(description = "The version of the replayed plan when it is the current one") Integer planVersion,
        @Schema(required = true) Instant from,
        @Schema(required = true) Instant to,
        @Schema(required = true, description = "The evaluator's cadence (rollout.evaluator.interval), ISO-8601", examples = "PT10S")
        String interval,
        @Schema(required = true, minimum = "0", description = "Passes replayed: one per interval from 'from' to 'to'") int passes,
        @Schema(required = true, description = "Where the rollout was at 'from', as its audit events say") Position start,
        @Schema(required = true, description = "Where the replayed plan would have left it at 'to'") Position end,
        @Schema(required = true, description = "Consecutive passes with the same replayed and recorded position, oldest first")
        List<Run> decisions,
        @Schema(required = true, description = "True when there were more runs than listed (the first ones are)") boolean truncated,
        @Schema(description = "The first pass where the replayed decision or position differs from the journal's; absent when none does")
        Difference firstDifference,
        @Schema(required = true, description = "Action → passes the replayed plan decided it") Map<String, Integer> replayedActions,
        @Schema(required = true, description = "Action → journal entries in the range") Map<String, Integer> actualActions,
        @Schema(required = true, minimum = "0") int operatorActionsApplied,
        @Schema(required = true, minimum = "0", description = "Operators' actions that did not fit the simulated rollout")
        int operatorActionsSkipped,
        @Schema(required = true, description = "What this replay could not reproduce") List<String> limits) {

    /** A rollout's status and step, and the action decided there (absent for start and end). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Position(@Schema(required = true) String status, @Schema(required = true) String step, String action) {
        static Position of(Replay.Position position) {
            return position == null ? null : new Position(position.status(), position.step(), position.action());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(
            @Schema(required = true) Instant from,
            @Schema(required = true, description = "The run's last pass") Instant to,
            @Schema(required = true, minimum = "1") int passes,
            @Schema(required = true) Position replayed,
            @Schema(required = true, description = "The engine's reason at the run's first pass") String reason,
            @Schema(description = "The journal's position; absent when no journal entry falls in the run") Position actual,
            @Schema(description = "The plan version the journal judged with") Integer actualPlanVersion,
            @Schema(required = true) boolean differs) {
        static Run of(Replay.Run run) {
            return new Run(run.from(), run.to(), run.passes(), Position.of(run.replayed()), run.reason(), Position.of(run.actual()),
                    run.actualPlanVersion(), run.differs());
        }
    }

    public record Difference(
            @Schema(required = true) Instant at,
            @Schema(required = true) Position replayed,
            @Schema(required = true) String reason,
            @Schema(required = true) Position actual,
            @Schema(required = true) int actualPlanVersion) {
        static Difference of(Replay.Difference difference) {
            return difference == null ? null : new Difference(difference.at(), Position.of(difference.replayed()),
                    difference.reason(), Position.of(difference.actual()), difference.actualPlanVersion());
        }
    }
}
