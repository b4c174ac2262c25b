package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.DecisionReason;
import dev.rolloutcontroller.domain.RolloutStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** A rollout's flags resolved for one session. */
public record SessionFlags(
        @Schema(description = "The rollout's key", examples = "modular-monitor")
        String rollout,
        @Schema(description = "The session asked about", examples = "session1")
        String session,
        @Schema(description = "Whether this session runs the new path")
        boolean enabled,
        @Schema(description = "Why the session got this value")
        DecisionReason reason,
        @Schema(description = "The session's bucket, 1-100: on the new path when bucket <= percentage", examples = "37")
        int bucket,
        RolloutStatus status,
        @Schema(description = "The current step's name", examples = "canary")
        String step,
        @Schema(description = "Share of sessions on the new path, 0-100", examples = "10")
        int percentage,
        boolean shadowMode,
        @Schema(description = "The rollout's version; part of the ETag", examples = "3")
        long version,
        @Schema(description = "The legacy variables with the flag resolved to true or false for this session")
        Map<String, String> env) {
}
