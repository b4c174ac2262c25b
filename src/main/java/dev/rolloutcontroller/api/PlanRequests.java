package dev.rolloutcontroller.api;

import dev.rolloutcontroller.domain.PlanEdits;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.service.RolloutService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The bodies of the plan routes: editing a plan, its history, and what-if replays. */
public final class PlanRequests {

    private PlanRequests() {
    }

    /** A new plan for a rollout under way, and why. */
    public record PlanChange(
            @Schema(required = true, description = "The whole plan, as at creation; steps already left and the current "
                    + "step's name, percentage and shadow flag must stay as they are")
            PlanSpec plan,
            @Schema(maxLength = 2000, description = "Why the plan changes; kept with the plan version and the audit event")
            String reason) {
    }

    /** One changed JSON path of the plan, with its value before and after (absent: null). */
    public record ChangedPath(
            @Schema(required = true, examples = "plan.triggers[0].threshold") String path,
            @Schema(description = "The value before the change; null when the path did not exist") Object before,
            @Schema(description = "The value after the change; null when the path no longer exists") Object after) {

        static List<ChangedPath> of(List<PlanEdits.Change> changes) {
            return changes.stream().map(c -> new ChangedPath(c.path(), c.before(), c.after())).toList();
        }
    }

    /** The outcome of an accepted edit. */
    public record PlanChanged(
            @Schema(required = true) String key,
            @Schema(required = true, minimum = "1", description = "The rollout's version after the edit (its new ETag)")
            long rolloutVersion,
            @Schema(required = true, minimum = "1", description = "The plan version now in force") int planVersion,
            @Schema(required = true, description = "What changed; empty when the plan was identical (nothing was stored)")
            List<ChangedPath> changes,
            @Schema(required = true) PlanSpec plan) {
    }

    /** One version of a plan. */
    public record PlanVersionResponse(
            @Schema(required = true, minimum = "1", description = "1 is the plan the rollout was created with") int version,
            @Schema(required = true) PlanSpec plan,
            @Schema(required = true) Instant changedAt,
            @Schema(required = true) String changedBy,
            @Schema(description = "Why it changed, as given; null for the creation plan and edits without a reason")
            String reason) {

        static PlanVersionResponse of(RolloutService.PlanVersion version) {
            return new PlanVersionResponse(version.version(), version.plan(), version.changedAt(), version.changedBy(),
                    version.reason());
        }
    }

    /** What to replay: a plan (absent: the current one) over a period (absent: the last 24 hours). */
    public record ReplayRequest(
            @Schema(description = "The plan to replay; absent for the plan in force") PlanSpec plan,
            @Schema(description = "Start of the period; default 24 hours before 'to'; at most 7 days before it") Instant from,
            @Schema(description = "End of the period; default now; not in the future") Instant to) {
    }

    public record PlanHistory(@Schema(required = true, description = "Newest first") List<PlanVersionResponse> versions) {
    }
}
