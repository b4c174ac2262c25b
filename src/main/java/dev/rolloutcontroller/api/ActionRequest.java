package dev.rolloutcontroller.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional body of a rollout action. */
public record ActionRequest(
        @Schema(description = "Why; required for rollback and for a forced advance. No control characters but line breaks and tabs",
                maxLength = 2000, examples = "error rate above 5% on canary")
        String reason,
        @Schema(description = "Advance even though gates have not passed (never overrides triggers)", defaultValue = "false")
        Boolean force) {
}
