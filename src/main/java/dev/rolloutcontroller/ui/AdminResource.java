package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.notify.WebhookService;
import dev.rolloutcontroller.security.ConsolePage;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.CurrentConsoleSession;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.security.TokenService;
import dev.rolloutcontroller.service.ServiceException;
import dev.rolloutcontroller.ui.Views.FieldProblem;
import dev.rolloutcontroller.ui.Views.Layout;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Admin pages: API tokens (create, showing the secret once; list; revoke) and webhooks (list, deliveries, test). */
@Path("/ui/admin")
@ConsolePage
@RequiresRole(Role.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class AdminResource {

    static final int DELIVERY_PAGE = 50;

    /** A token as the list shows it. */
    public record TokenRow(String id, String name, String roles, String createdAt, String createdBy, String lastUsedAt,
                           String revokedAt, boolean active) {
    }

    public record WebhookRow(String id, String url, String format, String events, String rollouts, boolean signed,
                             String createdAt) {
    }

    public record DeliveryRow(long id, String type, String rollout, String status, int attempts, String lastAnswer,
                              String lastAttemptAt, String nextAttemptAt) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tokens(Layout layout, List<TokenRow> tokens, List<String> roles, String newSecret,
                                              String newName, List<FieldProblem> errors);

        static native TemplateInstance webhooks(Layout layout, List<WebhookRow> webhooks, String message);

        static native TemplateInstance deliveries(Layout layout, WebhookRow webhook, List<DeliveryRow> deliveries);
    }

    private final TokenService tokens;
    private final WebhookService webhooks;
    private final CurrentCaller caller;
    private final CurrentConsoleSession session;

    AdminResource(TokenService tokens, WebhookService webhooks, CurrentCaller caller, CurrentConsoleSession session) {
        this.tokens = tokens;
        this.webhooks = webhooks;
        this.caller = caller;
        this.session = session;
    }

    @GET
    @Path("tokens")
    public TemplateInstance tokenPage() {
        return tokenPage("", "", List.of());
    }

    /** The new secret is in this answer only; it is stored as a hash. */
    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createToken(@RestForm String name, @RestForm List<String> roles) {
        try {
            TokenService.IssuedToken issued = tokens.create(name == null ? null : name.trim(), roles, caller.name());
            return Response.status(201).entity(tokenPage(issued.secret(), issued.token().name(), List.of())).build();
        } catch (ServiceException e) {
            return Response.status(ConsoleResource.status(e)).entity(tokenPage("", "", ConsoleResource.problems(e, "name"))).build();
        }
    }

    @POST
    @Path("tokens/{id}/revoke")
    public Response revoke(@PathParam("id") UUID id) {
        try {
            tokens.revoke(id, caller.name());
        } catch (ServiceException e) {
            return Response.status(ConsoleResource.status(e)).entity(tokenPage("", "", ConsoleResource.problems(e))).build();
        }
        return Response.seeOther(URI.create("/ui/admin/tokens")).build();
    }

    @GET
    @Path("webhooks")
    public TemplateInstance webhookPage() {
        return Templates.webhooks(layout("Webhooks"), webhookRows(), "");
    }

    @GET
    @Path("webhooks/{id}")
    public Response deliveries(@PathParam("id") UUID id) {
        try {
            WebhookRow webhook = row(webhooks.get(id));
            List<DeliveryRow> rows = webhooks.deliveries(id, DELIVERY_PAGE, null).stream().map(d -> new DeliveryRow(d.id(), d.type(),
                    d.rollout() == null ? "" : d.rollout(), d.status(), d.attempts(),
                    d.lastHttpStatus() != null ? "HTTP " + d.lastHttpStatus() : d.lastError() == null ? "" : d.lastError(),
                    Figures.time(d.lastAttemptAt()), Figures.time(d.nextAttemptAt()))).toList();
            return Response.ok(Templates.deliveries(layout("Webhook deliveries"), webhook, rows)).build();
        } catch (ServiceException e) {
            return Response.status(ConsoleResource.status(e)).entity(Templates.webhooks(layout("Webhooks"), webhookRows(), e.getMessage())).build();
        }
    }

    @POST
    @Path("webhooks/{id}/test")
    public Response test(@PathParam("id") UUID id) {
        try {
            webhooks.test(id, caller.name());
        } catch (ServiceException e) {
            return Response.status(ConsoleResource.status(e)).entity(Templates.webhooks(layout("Webhooks"), webhookRows(), e.getMessage())).build();
        }
        return Response.seeOther(URI.create("/ui/admin/webhooks/" + id)).build();
    }

    private TemplateInstance tokenPage(String secret, String name, List<FieldProblem> errors) {
        List<TokenRow> rows = tokens.list().stream().map(t -> new TokenRow(t.id().toString(), t.name(), String.join(", ", t.roles()),
                Figures.time(t.createdAt()), t.createdBy(), Figures.time(t.lastUsedAt()), Figures.time(t.revokedAt()),
                t.revokedAt() == null)).toList();
        List<String> roleNames = Arrays.stream(Role.values()).map(Role::wireName).toList();
        return Templates.tokens(layout("Tokens"), rows, roleNames, secret, name, errors);
    }

    private List<WebhookRow> webhookRows() {
        return webhooks.list().stream().map(AdminResource::row).toList();
    }

    private static WebhookRow row(WebhookService.WebhookView w) {
        return new WebhookRow(w.id().toString(), w.url(), w.format(), w.allEvents() ? "every event" : String.join(", ", w.events()),
                w.rollouts() == null ? "every rollout" : String.join(", ", w.rollouts()), w.signed(), Figures.time(w.createdAt()));
    }

    private Layout layout(String title) {
        return ConsoleLayouts.of(title, caller, session);
    }
}
