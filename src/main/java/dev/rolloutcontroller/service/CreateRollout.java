package dev.rolloutcontroller.service;

import dev.rolloutcontroller.domain.PlanSpec;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** What an operator sends to create a rollout; everything but {@code key} has a default. */
public record CreateRollout(
        @Schema(required = true, pattern = "^[a-z0-9][a-z0-9-]{0,62}$", description = "A slug, 1-63 characters")
        String key,
        @Schema(maxLength = 2000, description = "Free text; line breaks and tabs allowed, no other control characters")
        String description,
        Boolean shadowStep, Boolean autoAdvance, List<String> canarySessions, PlanSpec plan, String envPrefix,
        String flagVariable, String stickinessGroup,
        @Schema(description = "When the evaluator starts the draft (if its entry gates pass, a deployment window is open and "
                + "no freeze holds it); in the future, at most 366 days ahead. Set, move or clear it later with PUT .../schedule")
        Instant startAt) {
}
