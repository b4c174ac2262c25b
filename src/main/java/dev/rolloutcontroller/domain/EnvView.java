package dev.rolloutcontroller.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rollout as the legacy environment variables the checklist exported by hand, in the order
 * flag, CANARY_SESSIONS, ROLLOUT_PERCENTAGE, SHADOW_MODE.
 */
public final class EnvView {

    private EnvView() {
    }

    /** For a whole fleet: the flag is {@code false}, {@code canary} (decide per session) or {@code true} (everyone). */
    public static Map<String, String> fleet(Rollout rollout) {
        return view(rollout, fleetFlag(rollout));
    }

    /** For one session: the flag is resolved to {@code true} or {@code false} by the decision. */
    public static Map<String, String> forSession(Rollout rollout, FlagDecision decision) {
        return view(rollout, String.valueOf(decision.enabled()));
    }

    private static String fleetFlag(Rollout rollout) {
        RolloutStatus status = rollout.status();
        if (status == RolloutStatus.DRAFT || status == RolloutStatus.ROLLED_BACK || rollout.shadowMode()) {
            return "false";
        }
        if (status == RolloutStatus.COMPLETED || rollout.percentage() == 100) {
            return "true";
        }
        return "canary";
    }

    private static Map<String, String> view(Rollout rollout, String flag) {
        EnvMapping env = rollout.env();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(env.flagVar(), flag);
        variables.put(env.canaryVar(), String.join(",", rollout.canarySessions()));
        variables.put(env.percentageVar(), String.valueOf(rollout.percentage()));
        variables.put(env.shadowVar(), String.valueOf(rollout.shadowMode()));
        return Collections.unmodifiableMap(variables);
    }
}
