package dev.rolloutcontroller.notify;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.rolloutcontroller.notify.WebhookService.CreateWebhook;
import dev.rolloutcontroller.notify.WebhookService.DeliveryView;
import dev.rolloutcontroller.notify.WebhookService.WebhookView;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.PageLimit;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.ADMIN)
@Tag(name = "Webhooks", description = "Signed, retried notifications of rollout events (admin)")
@SecurityRequirement(name = "bearerToken")
public class WebhookResource {

    static final int MAX_PAGE = 200;

    public record WebhookList(List<WebhookView> webhooks) {
    }

    /** One page, newest first; pass {@code nextBefore} as {@code before} for the next page. */
    public record DeliveryPage(List<DeliveryView> deliveries, Long nextBefore) {
    }

    private final WebhookService webhooks;
    private final CurrentCaller caller;

    WebhookResource(WebhookService webhooks, CurrentCaller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a URL to rollout notifications",
            description = "url: http or https only, and a host in rollout.webhooks.allowed-hosts when that is set. "
                    + "events: notification types (default: all, including types added later). format: json (default) "
                    + "or slack (an incoming-webhook body). secret: signs each body as X-Rollout-Signature: "
                    + "sha256=<hex HMAC-SHA256(secret, body)>; it is never shown again. rollouts: only these rollout keys "
                    + "(default: all).")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "slack", value = """
                    {"url":"https://hooks.slack.com/services/T000/B000/abc123","format":"slack",
                     "events":["trigger.breached","rollout.rolled-back","rollout.completed"],"rollouts":["modular-monitor"]}"""),
            @ExampleObject(name = "signed json", value = """
                    {"url":"https://ops.example.com/hooks/rollouts","secret":"3f1c0e9a7b5d4c2e8f6a1b3c5d7e9f0a"}""")}))
    @APIResponse(responseCode = "201", description = "Subscribed; Location names it. The secret is not in the answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookService.WebhookView.class)))
    @APIResponse(responseCode = "400", description = "Invalid field(s), listed in errors[]")
    public Response create(CreateWebhook request, UriInfo uri) {
        WebhookView created = webhooks.create(request, caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created).build();
    }

    @GET
    @Operation(summary = "List webhook subscriptions (never their secrets)")
    public WebhookList list() {
        return new WebhookList(webhooks.list());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read one webhook subscription")
    @APIResponse(responseCode = "200", description = "The subscription (never its secret)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription")
    public WebhookView get(@PathParam("id") String id) {
        return webhooks.get(parse(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Unsubscribe; pending deliveries are dropped with it")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such subscription")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(parse(id), caller.name());
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The subscription's deliveries, newest first",
            description = "status (PENDING, DELIVERED, DEAD), attempts, the last HTTP status or error, and when the next "
                    + "attempt is due. Page with limit (1-200, default 50) and before (the nextBefore of the previous page).")
    @APIResponse(responseCode = "200", description = "One page of deliveries, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryPage.class)))
    @APIResponse(responseCode = "404", description = "No such subscription")
    public DeliveryPage deliveries(@PathParam("id") String id,
                                   @Parameter(description = "Page size", schema = @Schema(minimum = "1", maximum = "200", defaultValue = "50"))
                                   @QueryParam("limit") Integer limit,
                                   @Parameter(description = "The nextBefore of the previous page") @QueryParam("before") Long before) {
        int size = PageLimit.of(limit, 50, MAX_PAGE);
        List<DeliveryView> page = webhooks.deliveries(parse(id), size, before);
        return new DeliveryPage(page, page.size() == size ? page.get(page.size() - 1).id() : null);
    }

    @POST
    @Path("{id}/test")
    @Operation(summary = "Send a webhook.test notification to this subscription",
            description = "Queued like any notification (signed, retried) and sent on the worker's next pass; "
                    + "follow it in the deliveries.")
    @APIResponse(responseCode = "202", description = "Queued; the answer is the delivery",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookService.DeliveryView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription")
    public Response test(@PathParam("id") String id) {
        return Response.accepted(webhooks.test(parse(id), caller.name())).build();
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ServiceException.notFound("webhook " + id);
        }
    }
}
