package dev.rolloutcontroller.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.DecisionReason;
import dev.rolloutcontroller.domain.EnvView;
import dev.rolloutcontroller.domain.FlagDecision;
import dev.rolloutcontroller.domain.FlagRules;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.ShellQuoting;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.Set;

/**
 * One rollout at one version, with everything a flag read needs computed once: the canary list as a
 * set, the fleet view as JSON and as shell lines, the two per-session variants of the variables, and
 * the fleet ETags, and the per-session JSON around the few members that depend on the session. A
 * read then costs a hash of the session id, a set look-up and one string built from cached parts.
 */
final class RolloutFlags {

    /*
     * Inside a JSON string every quote is escaped, so these two (with their closing quote straight
     * before the colon) can only be the members themselves.
     */
    private static final String SESSION_MEMBER = "\"session\":";
    private static final String BUCKET_MEMBER = "\"bucket\":";

    private final Rollout rollout;
    private final Set<String> canary;
    private final Map<String, String> envOn;
    private final Map<String, String> envOff;
    /** The per-session shell lines, encoded once: a read writes the same bytes for every session of a side. */
    private final Buffer envOnBody;
    private final Buffer envOffBody;
    private final String fleetJson;
    private final String fleetEnvText;
    private final long tagSeed;
    private final String fleetJsonTag;
    private final String fleetEnvTag;
    /** The per-session JSON up to the session's value, then after the bucket (by whether the session is on). */
    private final String sessionJsonHead;
    private final String sessionJsonTailOn;
    private final String sessionJsonTailOff;
    private final String[] reasonJson;

    private RolloutFlags(Rollout rollout, ObjectMapper json) {
        this.rollout = rollout;
        this.canary = Set.copyOf(rollout.canarySessions());
        // The per-session variables depend only on whether the session is on, so both variants are built up front.
        this.envOn = EnvView.forSession(rollout, new FlagDecision(true, null, 0));
        this.envOff = EnvView.forSession(rollout, new FlagDecision(false, null, 0));
        this.envOnBody = Buffer.buffer(ShellQuoting.envLines(envOn));
        this.envOffBody = Buffer.buffer(ShellQuoting.envLines(envOff));
        Map<String, String> fleetEnv = EnvView.fleet(rollout);
        this.fleetEnvText = ShellQuoting.envLines(fleetEnv);
        this.fleetJson = write(json, new FleetFlags(rollout.key(), rollout.status(), rollout.currentStep().name(),
                rollout.percentage(), rollout.shadowMode(), rollout.version(), fleetEnv));
        this.tagSeed = ETags.seed(rollout.key(), rollout.createdAt().toEpochMilli());
        this.fleetJsonTag = tag(FlagFormat.JSON.tagChar, null);
        this.fleetEnvTag = tag(FlagFormat.ENV.tagChar, null);
        // Jackson writes the parts that never change with the session, so they read exactly as it
        // would write the whole SessionFlags (RolloutFlagsJsonTest compares the two).
        String on = write(json, forSession("", new FlagDecision(true, DecisionReason.FULL, 0)));
        String off = write(json, forSession("", new FlagDecision(false, DecisionReason.FULL, 0)));
        this.sessionJsonHead = on.substring(0, on.indexOf(SESSION_MEMBER) + SESSION_MEMBER.length());
        this.sessionJsonTailOn = on.substring(on.indexOf(BUCKET_MEMBER) + BUCKET_MEMBER.length() + 1);
        this.sessionJsonTailOff = off.substring(off.indexOf(BUCKET_MEMBER) + BUCKET_MEMBER.length() + 1);
        this.reasonJson = new String[DecisionReason.values().length];
        for (DecisionReason reason : DecisionReason.values()) {
            reasonJson[reason.ordinal()] = write(json, reason);
        }
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

    /**
     * {@link #forSession} as JSON, byte for byte what the API's ObjectMapper writes for it: the
     * cached parts with the session, the decision, its reason and the bucket in between.
     */
    String sessionJson(String session, FlagDecision decision) {
        StringBuilder body = new StringBuilder(sessionJsonHead.length() + sessionJsonTailOn.length() + session.length() + 64)
                .append(sessionJsonHead).append('"');
        JsonStringEncoder.getInstance().quoteAsString(session, body);
        body.append("\",\"enabled\":").append(decision.enabled());
        if (decision.reason() != null) {
            body.append(",\"reason\":").append(reasonJson[decision.reason().ordinal()]);
        }
        return body.append(',').append(BUCKET_MEMBER).append(decision.bucket())
                .append(decision.enabled() ? sessionJsonTailOn : sessionJsonTailOff)
                .toString();
    }

    /**
     * Shared by every read of this version: Vert.x writes a slice of it, which leaves its content and
     * read position as they were.
     */
    Buffer envBody(FlagDecision decision) {
        return decision.enabled() ? envOnBody : envOffBody;
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
