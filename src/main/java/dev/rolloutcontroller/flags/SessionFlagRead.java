package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.FlagDecision;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.core.MediaType;

/**
 * The answer to one valid per-session read of a known rollout: a 304 when {@code If-None-Match}
 * names the current tag, else the body in the chosen format, encoded (UTF-8). Both
 * {@link RolloutFlagResource} and {@link FlagReadRoute} answer from it, so the two give the same
 * bytes and headers.
 */
record SessionFlagRead(String etag, boolean notModified, String mediaType, Buffer body) {

    static SessionFlagRead of(RolloutFlags flags, String session, FlagFormat format, String ifNoneMatch) {
        String etag = flags.tag(format.tagChar, session);
        if (ETags.matches(ifNoneMatch, etag)) {
            return new SessionFlagRead(etag, true, null, null);
        }
        FlagDecision decision = flags.decide(session);
        return format == FlagFormat.JSON
                ? new SessionFlagRead(etag, false, MediaType.APPLICATION_JSON, Buffer.buffer(flags.sessionJson(session, decision)))
                : new SessionFlagRead(etag, false, FlagFormat.TEXT_PLAIN_UTF8, flags.envBody(decision));
    }
}
