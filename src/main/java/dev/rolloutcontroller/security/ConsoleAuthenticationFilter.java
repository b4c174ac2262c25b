package dev.rolloutcontroller.security;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates the console's pages ({@link ConsolePage}) by the session cookie, checks the role
 * their method requires ({@link RequiresRole}), and refuses any unsafe request whose CSRF token
 * (form field {@value #CSRF_FIELD} or header {@value #CSRF_HEADER}) is not the session's. Runs after
 * the form is read, so the token can come from a plain HTML form.
 */
public class ConsoleAuthenticationFilter {

    public static final String SESSION_COOKIE = "rc_console";
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String SIGN_IN_PATH = "/ui/login";
    private static final Set<String> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final ConsoleSessions sessions;
    private final CurrentCaller currentCaller;
    private final CurrentConsoleSession currentSession;

    ConsoleAuthenticationFilter(ConsoleSessions sessions, CurrentCaller currentCaller, CurrentConsoleSession currentSession) {
        this.sessions = sessions;
        this.currentCaller = currentCaller;
        this.currentSession = currentSession;
    }

    static boolean isConsole(ResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        return type != null && type.isAnnotationPresent(ConsolePage.class);
    }

    @WithFormRead
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ResteasyReactiveContainerRequestContext request, ResourceInfo resource) {
        if (!isConsole(resource)) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        Optional<ConsoleSessions.Resolved> resolved = sessions.resolve(cookie == null ? null : cookie.getValue());
        resolved.ifPresent(r -> {
            currentCaller.set(r.caller());
            currentSession.set(r.session());
        });
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(ConsolePage.SignedOut.class)) {
            return Optional.empty();
        }
        if (resolved.isEmpty()) {
            return Optional.of(Response.seeOther(URI.create(SIGN_IN_PATH)).build());
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            String presented = request.getHeaderString(CSRF_HEADER);
            if (presented == null) {
                Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                        .getFormParameter(CSRF_FIELD, true, false);
                presented = field instanceof String text ? text : null;
            }
            if (!ConsoleSessions.sameToken(resolved.get().session().csrfToken(), presented)) {
                return Optional.of(refusal("This form has expired or did not come from this console (its CSRF token is "
                        + "missing or wrong). Go back, reload the page and try again."));
            }
        }
        Role required = AuthenticationFilter.requiredRole(resource);
        if (!resolved.get().caller().may(required)) {
            return Optional.of(refusal("This needs the role '" + required.wireName() + "', which your token does not hold."));
        }
        return Optional.empty();
    }

    /** A 403 page; the message is fixed text and a role name, never user input. */
    private static Response refusal(String message) {
        String page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not allowed</title>"
                + "<link rel=\"stylesheet\" href=\"/console/console.css\"></head><body><main class=\"page\">"
                + "<h1>Not allowed</h1><p>" + message + "</p><p><a href=\"/ui/\">Back to the rollouts</a></p></main></body></html>";
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }
}
