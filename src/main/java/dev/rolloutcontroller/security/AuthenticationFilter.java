package dev.rolloutcontroller.security;

import dev.rolloutcontroller.api.ProblemMapping;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Every REST resource is behind a token: {@code Authorization: Bearer <token>} (or
 * {@code X-API-Key}). The role comes from {@link RequiresRole}; a method without it is admin-only.
 * Checks run against memory only ({@link TokenRegistry}).
 */
public class AuthenticationFilter {

    static final String API_KEY_HEADER = "X-API-Key";

    private final TokenRegistry registry;
    private final CurrentCaller currentCaller;

    AuthenticationFilter(TokenRegistry registry, CurrentCaller currentCaller) {
        this.registry = registry;
        this.currentCaller = currentCaller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Role required = requiredRole(resource);
        Optional<Caller> caller = registry.authenticate(presentedSecret(request));
        if (caller.isEmpty()) {
            return Optional.of(ProblemMapping.problem(401, "send a token as 'Authorization: Bearer <token>'",
                            request.getUriInfo().getPath()).toResponse()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
        if (!caller.get().may(required)) {
            return Optional.of(ProblemMapping.problem(403, "this needs the role '" + required.wireName()
                    + "'; the token '" + caller.get().name() + "' has " + caller.get().roles().stream()
                    .map(Role::wireName).sorted().toList(), request.getUriInfo().getPath()).toResponse().build());
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

    static String presentedSecret(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String apiKey = request.getHeaderString(API_KEY_HEADER);
        return apiKey == null ? null : apiKey.trim();
    }
}
