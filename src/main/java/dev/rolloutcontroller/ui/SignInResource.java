package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.security.ConsoleAuthenticationFilter;
import dev.rolloutcontroller.security.ConsolePage;
import dev.rolloutcontroller.security.ConsoleSessions;
import dev.rolloutcontroller.security.CurrentConsoleSession;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.ui.Views.Layout;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;

/**
 * Signing in (signing out is {@link ConsoleResource#signOut}). The sign-in form is protected against login CSRF with a double-submit token:
 * a cookie set with the form must match the form's hidden field.
 */
@Path("/ui/login")
@ConsolePage
@RequiresRole(Role.READER)
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    static final String LOGIN_CSRF_COOKIE = "rc_login_csrf";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(Layout layout, String csrf, String error);
    }

    private final ConsoleSessions sessions;
    private final CurrentConsoleSession session;

    SignInResource(ConsoleSessions sessions, CurrentConsoleSession session) {
        this.sessions = sessions;
        this.session = session;
    }

    @GET
    @ConsolePage.SignedOut
    public Response loginPage(@Context UriInfo uri) {
        if (session.get().isPresent()) {
            return Response.seeOther(URI.create("/ui/")).build();
        }
        return loginForm(uri, 200, "");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @ConsolePage.SignedOut
    public Response signIn(@RestForm String token, @RestForm("_csrf") String csrf,
                           @CookieParam(LOGIN_CSRF_COOKIE) String expectedCsrf, @Context UriInfo uri) {
        if (expectedCsrf == null || !ConsoleSessions.sameToken(expectedCsrf, csrf)) {
            return loginForm(uri, 403, "This sign-in form has expired; paste the token again.");
        }
        return sessions.open(token)
                .map(opened -> Response.seeOther(URI.create("/ui/"))
                        .cookie(cookie(ConsoleAuthenticationFilter.SESSION_COOKIE, opened.session().id(), uri, -1),
                                cookie(LOGIN_CSRF_COOKIE, "", uri, 0))
                        .build())
                .orElseGet(() -> loginForm(uri, 401, "That token is not valid: it is unknown or has been revoked."));
    }

    private Response loginForm(UriInfo uri, int status, String error) {
        String csrf = ConsoleSessions.randomToken();
        return Response.status(status).entity(Templates.login(ConsoleLayouts.signedOut("Sign in"), csrf, error))
                .cookie(cookie(LOGIN_CSRF_COOKIE, csrf, uri, -1)).build();
    }

    /** HttpOnly and SameSite=Strict always; Secure when the request came over HTTPS. */
    static NewCookie cookie(String name, String value, UriInfo uri, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).sameSite(NewCookie.SameSite.STRICT)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme())).maxAge(maxAge).build();
    }
}
