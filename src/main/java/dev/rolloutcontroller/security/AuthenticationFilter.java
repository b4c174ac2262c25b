package dev.rolloutcontroller.security;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;

/**
 * Every REST resource is behind a token: {@code Authorization: Bearer <token>} (or
 * {@code X-API-Key}). The role comes from {@link RequiresRole}; a method without it is admin-only.
 * Checks run against memory only ({@link TokenRegistry}). With {@code rollout.security.anonymous-reads}
 * a request without a token may call what any token may call. A resource class marked
 * {@link BodylessAuthErrors} gets 401 and 403 without a body, as its protocol says. The console's
 * pages ({@link ConsolePage}) authenticate by session cookie instead ({@link ConsoleAuthenticationFilter}).
 */
public class AuthenticationFilter {

    public static final String API_KEY_HEADER = "X-API-Key";
    /** Who an unauthenticated request is when anonymous reads are on; it may only read. */
    static final Caller ANONYMOUS = new Caller(null, "anonymous", Set.of(Role.READER));

    private final TokenRegistry registry;
    private final CurrentCaller currentCaller;
    private final boolean anonymousReads;

    AuthenticationFilter(TokenRegistry registry, CurrentCaller currentCaller, RolloutConfig config) {
        this.registry = registry;
        this.currentCaller = currentCaller;
        this.anonymousReads = config.security().anonymousReads();
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (ConsoleAuthenticationFilter.isConsole(resource)) {
            return Optional.empty();
        }
        Role required = requiredRole(resource);
        String secret = presentedSecret(request);
        if (anonymousReads && required == Role.READER && (secret == null || secret.isEmpty())) {
            currentCaller.set(ANONYMOUS);
            return Optional.empty();
        }
        Optional<Caller> caller = registry.authenticate(secret);
        if (caller.isEmpty()) {
            return deny(resource, ServiceException.Kind.UNAUTHENTICATED, "send a token as 'Authorization: Bearer <token>'");
        }
        if (!caller.get().may(required)) {
            return deny(resource, ServiceException.Kind.FORBIDDEN, "this needs the role '" + required.wireName()
                    + "'; the token '" + caller.get().name() + "' has " + caller.get().roles().stream()
                    .map(Role::wireName).sorted().toList());
        }
        currentCaller.set(caller.get());
        return Optional.empty();
    }

    static Role requiredRole(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        RequiresRole onMethod = method == null ? null : method.getAnnotation(RequiresRole.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Class<?> type = resource.getResourceClass();
        RequiresRole onClass = type == null ? null : type.getAnnotation(RequiresRole.class);
        return onClass != null ? onClass.value() : Role.ADMIN;
    }

    /**
     * The bare status where the resource's protocol wants no body; otherwise a refusal that the one
     * exception mapping turns into problem+json (with {@code WWW-Authenticate} on a 401).
     */
    private static Optional<Response> deny(ResourceInfo resource, ServiceException.Kind kind, String detail) {
        Class<?> type = resource.getResourceClass();
        if (type != null && type.isAnnotationPresent(BodylessAuthErrors.class)) {
            Response.ResponseBuilder bare = Response.status(kind == ServiceException.Kind.UNAUTHENTICATED ? 401 : 403);
            if (kind == ServiceException.Kind.UNAUTHENTICATED) {
                bare.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            return Optional.of(bare.build());
        }
        throw new ServiceException(kind, detail);
    }

    static String presentedSecret(ContainerRequestContext request) {
        return presentedSecret(request.getHeaderString(HttpHeaders.AUTHORIZATION), request.getHeaderString(API_KEY_HEADER));
    }

    /** The token of a request with these two headers (either may be null): Bearer first, then X-API-Key. */
    public static String presentedSecret(String authorization, String apiKey) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return apiKey == null ? null : apiKey.trim();
    }
}
