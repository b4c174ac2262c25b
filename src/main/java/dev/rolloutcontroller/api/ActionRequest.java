package dev.rolloutcontroller.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional body of a rollout action. */
public record ActionRequest(
        @Schema(description = "Why; required for rollback, for a forced start or advance and for overriding a freeze. "
                + "No control characters but line breaks and tabs",
                maxLength = 2000, examples = "error rate above 5% on canary")
        String reason,
        @Schema(description = "Start or advance even though gates have not passed, or outside the plan's deployment windows "
                + "(never overrides triggers or freezes)", defaultValue = "false")
        Boolean force,
        @Schema(description = "Admins only: start or advance inside a freeze (plan-level or service-wide). Needs a reason; "
                + "the audit log records a rollout.freeze-overridden event naming the freeze", defaultValue = "false")
        Boolean overrideFreeze) {
}
