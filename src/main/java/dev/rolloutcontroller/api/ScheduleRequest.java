package dev.rolloutcontroller.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** Body of {@code PUT /api/v1/rollouts/{key}/schedule}. */
public record ScheduleRequest(
        @Schema(description = "When the evaluator starts the draft, in the future and at most 366 days ahead; null or absent "
                + "clears the schedule", examples = "2026-12-08T08:00:00Z")
        Instant startAt,
        @Schema(description = "Why this time (recorded with the rollout.scheduled event); no control characters but line "
                + "breaks and tabs", maxLength = 2000, examples = "agreed in the change board, Monday 09:00 Berlin")
        String reason) {
}
