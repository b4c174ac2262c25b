package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.RolloutStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** A rollout's flags for the whole fleet: what the checklist exported by hand. */
public record FleetFlags(
        @Schema(description = "The rollout's key", examples = "modular-monitor")
        String rollout,
        RolloutStatus status,
        @Schema(description = "The current step's name", examples = "canary")
        String step,
        @Schema(description = "Share of sessions on the new path, 0-100 (0 when draft or rolled back)", examples = "10")
        int percentage,
        @Schema(description = "A shadow step is live: both paths run, nobody is switched")
        boolean shadowMode,
        @Schema(description = "The rollout's version; part of the ETag", examples = "3")
        long version,
        @Schema(description = "The legacy variables; the flag is false, canary (decide per session) or true",
                examples = "{\"TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR\":\"canary\",\"TMUX_ORCHESTRATOR_CANARY_SESSIONS\":"
                        + "\"session1,session2\",\"TMUX_ORCHESTRATOR_ROLLOUT_PERCENTAGE\":\"10\",\"TMUX_ORCHESTRATOR_SHADOW_MODE\":\"false\"}")
        Map<String, String> env) {
}
