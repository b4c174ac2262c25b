package dev.rolloutcontroller.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.EnvView;
import dev.rolloutcontroller.domain.FlagDecision;
import dev.rolloutcontroller.domain.FlagRules;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.ShellQuoting;

import java.util.Map;
import java.util.Set;

/**
 * One rollout at one version, with everything a flag read needs computed once: the canary list as a
 * set, the fleet view as JSON and as shell lines, the two per-session variants of the variables, and
 * the fleet ETags. A read then costs a hash of the session id and a set look-up.
 */
final class RolloutFlags {

    private final Rollout rollout;
    private final Set<String> canary;
    private final Map<String, String> envOn;
    private final Map<String, String> envOff;
    private final String envOnText;
    private final String envOffText;
    private final String fleetJson;
    private final String fleetEnvText;
    private final long tagSeed;
    private final String fleetJsonTag;
    private final String fleetEnvTag;

    private RolloutFlags(Rollout rollout, ObjectMapper json) {
        this.rollout = rollout;
        this.canary = Set.copyOf(rollout.canarySessions());
        // The per-session variables depend only on whether the session is on, so both variants are built up front.
        this.envOn = EnvView.forSession(rollout, new FlagDecision(true, null, 0));
        this.envOff = EnvView.forSession(rollout, new FlagDecision(false, null, 0));
        this.envOnText = ShellQuoting.envLines(envOn);
        this.envOffText = ShellQuoting.envLines(envOff);
        Map<String, String> fleetEnv = EnvView.fleet(rollout);
        this.fleetEnvText = ShellQuoting.envLines(fleetEnv);
        this.fleetJson = write(json, new FleetFlags(rollout.key(), rollout.status(), rollout.currentStep().name(),
                rollout.percentage(), rollout.shadowMode(), rollout.version(), fleetEnv));
        this.tagSeed = ETags.seed(rollout.key(), rollout.createdAt().toEpochMilli());
        this.fleetJsonTag = tag(FlagFormat.JSON.tagChar, null);
        this.fleetEnvTag = tag(FlagFormat.ENV.tagChar, null);
    }

    static RolloutFlags of(Rollout rollout, ObjectMapper json) {
        return new RolloutFlags(rollout, json);
    }

    Rollout rollout() {
        return rollout;
    }

    String key() {
        return rollout.key();
    }

    long version() {
        return rollout.version();
    }

    /** Identifies the rollout across re-creation under the same key; feeds the snapshot's bulk tags. */
    long tagSeed() {
        return tagSeed;
    }

    FlagDecision decide(String session) {
        return FlagRules.decide(rollout, canary, session);
    }

    SessionFlags forSession(String session, FlagDecision decision) {
        return new SessionFlags(rollout.key(), session, decision.enabled(), decision.reason(), decision.bucket(),
                rollout.status(), rollout.currentStep().name(), rollout.percentage(), rollout.shadowMode(),
                rollout.version(), decision.enabled() ? envOn : envOff);
    }

    String envText(FlagDecision decision) {
        return decision.enabled() ? envOnText : envOffText;
    }

    String fleetJson() {
        return fleetJson;
    }

    String fleetEnvText() {
        return fleetEnvText;
    }

    String fleetTag(FlagFormat format) {
        return format == FlagFormat.JSON ? fleetJsonTag : fleetEnvTag;
    }

    /** The tag of a per-session (or, with a null session, fleet) representation of this version. */
    String tag(char representation, String session) {
        return ETags.tag('v', rollout.version(), tagSeed, representation, session);
    }

    private static String write(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the fleet view of " + value + " cannot be written as JSON", e);
        }
    }
}
