package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.flags.FlagMetrics.Endpoint;
import dev.rolloutcontroller.flags.FlagMetrics.Outcome;
import dev.rolloutcontroller.logging.RequestLogContext;
import dev.rolloutcontroller.security.AuthenticationFilter;
import dev.rolloutcontroller.security.Caller;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.security.TokenRegistry;
import io.quarkus.arc.ClientProxy;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Optional;
import java.util.Set;

import static io.vertx.core.http.HttpHeaders.createOptimized;

/**
 * The per-session flag read every daemon sends on every poll, {@code GET /api/v1/rollouts/{key}/flags?session=},
 * answered on the Vert.x router ahead of the REST layer (decision 0017): no filter chain, no
 * request context, no entity writer. It answers only the plain case: a token that authenticates,
 * a rollout that exists, a valid session, at most {@code format=env|json} beside it, and an Accept
 * header that is absent or names one representation outright. Every other request (no token or a
 * refused one, an unknown rollout, an invalid session or format, HEAD, anything percent-encoded)
 * goes on to {@link RolloutFlagResource}, so each error and each edge keeps its one implementation
 * there. Both answer from {@link SessionFlagRead}, with the same headers.
 */
@ApplicationScoped
public class FlagReadRoute {

    /** After api.RequestLimits (-3) and Quarkus' body-size check (-2), before the REST layer. */
    private static final int ORDER = -1;
    private static final String PREFIX = "/api/v1/rollouts/";
    private static final String SUFFIX = "/flags";
    /** Accept headers that leave content negotiation nothing to weigh (no header at all is plain too). */
    private static final Set<String> PLAIN_ACCEPTS = Set.of("*/*", "application/json", "text/plain");

    /*
     * Header names and fixed values as Netty AsciiStrings, spelt as the resource sends them: Vert.x
     * then finds a request header by a hash computed once, and checks and copies bytes rather than chars.
     */
    private static final CharSequence ACCEPT = createOptimized(HttpHeaders.ACCEPT);
    private static final CharSequence AUTHORIZATION = createOptimized(HttpHeaders.AUTHORIZATION);
    private static final CharSequence API_KEY = createOptimized(AuthenticationFilter.API_KEY_HEADER);
    private static final CharSequence IF_NONE_MATCH = createOptimized(HttpHeaders.IF_NONE_MATCH);
    private static final CharSequence REQUEST_ID = createOptimized(RequestLogContext.HEADER);
    private static final CharSequence ETAG = createOptimized(HttpHeaders.ETAG);
    private static final CharSequence CACHE_CONTROL = createOptimized(HttpHeaders.CACHE_CONTROL);
    private static final CharSequence NO_CACHE = createOptimized(FlagResponses.NO_CACHE);
    private static final CharSequence VARY = createOptimized(HttpHeaders.VARY);
    private static final CharSequence CONTENT_TYPE = createOptimized(HttpHeaders.CONTENT_TYPE);

    private final FlagStore store;
    private final FlagMetrics metrics;
    private final TokenRegistry tokens;

    /*
     * The application-scoped beans themselves rather than their client proxies: a proxy looks its bean up
     * in the application context on every call, three calls per read (about 2% of the read's samples).
     * They live as long as the application, so the instances never change.
     */
    FlagReadRoute(FlagStore store, FlagMetrics metrics, TokenRegistry tokens) {
        this.store = ClientProxy.unwrap(store);
        this.metrics = ClientProxy.unwrap(metrics);
        this.tokens = ClientProxy.unwrap(tokens);
    }

    /*
     * Every GET, with the path checked in serve: a path with a ":key" parameter would make Vert.x
     * decode the whole query into request.params() and the HTTP metrics binder record the route's name
     * in the request's context, on every read, for nothing the route uses.
     */
    void install(@Observes Router router) {
        router.get().order(ORDER).handler(this::serve);
    }

    private void serve(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = request.path();
        if (path.length() <= PREFIX.length() + SUFFIX.length() || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)
                || path.indexOf('%') >= 0) {
            context.next();
            return;
        }
        Query query = Query.parse(request.query());
        FlagFormat format = query == null ? null : plainFormat(query.format, request.getHeader(ACCEPT));
        if (format == null || Identifiers.sessionIdProblem(query.session).isPresent()) {
            context.next();
            return;
        }
        String secret = AuthenticationFilter.presentedSecret(request.getHeader(AUTHORIZATION), request.getHeader(API_KEY));
        Optional<Caller> caller = tokens.authenticate(secret);
        if (caller.isEmpty() || !caller.get().may(Role.READER)) {
            context.next();
            return;
        }
        RolloutFlags flags = store.snapshot().get(path.substring(PREFIX.length(), path.length() - SUFFIX.length())).orElse(null);
        if (flags == null) {
            context.next();
            return;
        }
        SessionFlagRead read = SessionFlagRead.of(flags, query.session, format, request.getHeader(IF_NONE_MATCH));
        metrics.count(Endpoint.SESSION, read.notModified() ? Outcome.NOT_MODIFIED : Outcome.OK);
        HttpServerResponse response = context.response()
                .putHeader(ETAG, read.etag())
                .putHeader(CACHE_CONTROL, NO_CACHE)
                .putHeader(VARY, ACCEPT)
                .putHeader(REQUEST_ID, RequestLogContext.requestId(request.getHeader(REQUEST_ID)));
        if (read.notModified()) {
            response.setStatusCode(304).end();
        } else {
            response.putHeader(CONTENT_TYPE, read.mediaType()).end(read.body());
        }
    }

    /**
     * The representation when the request names one plainly, as the resource would choose it; null
     * when content negotiation has more to say (the resource then decides, or refuses with 406).
     */
    private static FlagFormat plainFormat(String format, String accept) {
        if (accept != null && !PLAIN_ACCEPTS.contains(accept)) {
            return null;
        }
        return FlagFormat.choose(format, accept).orElse(null);
    }

    /** {@code session=…} once and {@code format=…} at most once, with nothing to decode; else null. */
    private record Query(String session, String format) {

        static Query parse(String query) {
            if (query == null || query.indexOf('%') >= 0 || query.indexOf('+') >= 0) {
                return null;
            }
            String session = null;
            String format = null;
            for (String parameter : query.split("&", -1)) {
                if (parameter.startsWith("session=") && session == null) {
                    session = parameter.substring("session=".length());
                } else if (parameter.startsWith("format=") && format == null) {
                    format = parameter.substring("format=".length());
                } else {
                    return null;
                }
            }
            return session == null ? null : new Query(session, format);
        }
    }
}
