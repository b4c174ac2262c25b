package dev.rolloutcontroller.logging;

import dev.rolloutcontroller.security.CurrentCaller;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Puts the request id, the rollout key and the actor (the token's name, never its secret) in the
 * logging context of each API request, so every line logged while serving it carries them (fields
 * of {@code mdc} in the JSON log). The request id is the caller's {@code X-Request-Id} when it is a
 * plain token, else a new UUID, and is echoed in the response.
 */
public class RequestLogContext {

    public static final String HEADER = "X-Request-Id";
    public static final String REQUEST_ID = "requestId";
    public static final String ROLLOUT = "rolloutKey";
    public static final String ACTOR = "actor";

    /** What a proxy or a caller may send as an id; anything else is replaced, so no text reaches the log unchecked. */
    private static final Pattern ACCEPTED_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final CurrentCaller caller;

    RequestLogContext(CurrentCaller caller) {
        this.caller = caller;
    }

    @ServerRequestFilter(preMatching = true)
    public void requestId(ContainerRequestContext request) {
        String id = requestId(request.getHeaderString(HEADER));
        request.setProperty(HEADER, id);
        MDC.put(REQUEST_ID, id);
    }

    /**
     * The id of a request that sent this {@code X-Request-Id} (or none). A new id is a random
     * (version 4) UUID from a per-thread generator: it must be unique, not unguessable, and
     * {@link UUID#randomUUID()} would draw on the shared SecureRandom on every request.
     */
    public static String requestId(String sent) {
        if (sent != null && ACCEPTED_ID.matcher(sent).matches()) {
            return sent;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xf000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xcL << 60)) | (0x8L << 60);
        return new UUID(high, low).toString();
    }

    /** After authentication: the caller, when the route has one (the console's sign-in page does not). */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 1)
    public void rolloutAndActor(ContainerRequestContext request) {
        // {key} names a rollout on every route that has it (the OFREP flag key is the rollout key).
        String key = request.getUriInfo().getPathParameters().getFirst("key");
        if (key != null) {
            MDC.put(ROLLOUT, key);
        }
        caller.find().ifPresent(found -> MDC.put(ACTOR, found.name()));
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(HEADER);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
        MDC.remove(REQUEST_ID);
        MDC.remove(ROLLOUT);
        MDC.remove(ACTOR);
    }
}
