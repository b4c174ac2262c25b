package dev.rolloutcontroller.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.CreateRollout;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.RolloutService.StoredRollout;
import dev.rolloutcontroller.service.PageLimit;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rollouts", description = "Create rollouts, edit canary lists, drive the phases")
@SecurityRequirement(name = "bearerToken")
public class RolloutResource {

    static final String ACTIONS = "start|advance|step-back|pause|resume|rollback|restart";
    static final int MAX_EVENT_PAGE = 200;

    private final RolloutService rollouts;
    private final RolloutEvaluator evaluator;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    RolloutResource(RolloutService rollouts, RolloutEvaluator evaluator, CurrentCaller caller, ObjectMapper json) {
        this.rollouts = rollouts;
        this.evaluator = evaluator;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "Create a rollout (DRAFT)", description = "Without a plan the checklist's plan is used: "
            + "canary (10% + canary list, 4 h), gradual (50%, 8 h), full (100%, 24 h), and shadow (0%, 24 h) first "
            + "when shadowStep is true.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "checklist", value = """
            {"key":"modular-monitor","description":"Monitor.py SOLID refactor v2.0","shadowStep":false,
             "canarySessions":["session1","session2","session3"]}""")))
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid field(s), listed in errors[]")
    @APIResponse(responseCode = "409", description = "A rollout with this key exists")
    public Response create(CreateRollout request, UriInfo uri) {
        StoredRollout created = rollouts.create(request, caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(created.rollout().key()).build())
                .tag(Versions.etag(created.rollout().version()))
                .entity(RolloutResponse.of(created)).build();
    }

    @GET
    @RequiresRole(Role.READER)
    @Operation(summary = "List rollouts", description = "Summaries: each rollout without its plan (read one rollout for it).")
    public RolloutList list() {
        return new RolloutList(rollouts.list().stream().map(RolloutResponse::summary).toList());
    }

    public record RolloutList(List<RolloutResponse> rollouts) {
    }

    @GET
    @Path("{key}")
    @RequiresRole(Role.READER)
    @Operation(summary = "Read a rollout: state, canary list, plan, allowed actions")
    @APIResponse(responseCode = "200", description = "The rollout; its ETag is the version and a digest of this body, "
            + "so it changes with the live gates too (If-Match takes it as the version)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutResponse.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the If-None-Match tag")
    @APIResponse(responseCode = "404", description = "No such rollout")
    public Response get(@PathParam("key") String key, @Context Request request) throws JsonProcessingException {
        StoredRollout stored = rollouts.get(key);
        Decision now = evaluator.preview(stored.rollout());
        RolloutResponse.Evaluation evaluation = new RolloutResponse.Evaluation(now.action().name(), now.reason(),
                now.exitGates(), now.entryGates(), now.triggers(),
                evaluator.latest(key).orElse(null));
        byte[] body = json.writeValueAsBytes(RolloutResponse.of(stored, evaluation));
        EntityTag tag = Versions.etag(stored.rollout().version(), body);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.build();
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).tag(tag).build();
    }

    @PUT
    @Path("{key}/canary-sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Replace the canary session list")
    @APIResponse(responseCode = "200", description = "The rollout with its new list and version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutResponse.class)))
    @APIResponse(responseCode = "412", description = "If-Match names an older version")
    public Response replaceCanarySessions(@PathParam("key") String key, CanarySessionsRequest body,
                                          @Parameter(description = "Version (ETag) the change is based on")
                                          @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if (body == null) {
            throw ServiceException.invalid("sessions", "required: the whole list, e.g. {\"sessions\":[\"session1\"]}");
        }
        return ok(rollouts.replaceCanarySessions(key, body.sessions(), Versions.fromIfMatch(ifMatch), caller.name()));
    }

    @POST
    @Path("{key}/canary-sessions/{sessionId}")
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Add one session to the canary list (no change if present)")
    @APIResponse(responseCode = "409", description = "The canary list already holds the maximum of 10,000 sessions")
    @APIResponse(responseCode = "200", description = "The rollout with its new list and version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutResponse.class)))
    public Response addCanarySession(@PathParam("key") String key, @PathParam("sessionId") String sessionId,
                                     @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return ok(rollouts.addCanarySession(key, sessionId, Versions.fromIfMatch(ifMatch), caller.name()));
    }

    @DELETE
    @Path("{key}/canary-sessions/{sessionId}")
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Remove one session from the canary list")
    @APIResponse(responseCode = "404", description = "No such rollout, or the session is not in its canary list")
    @APIResponse(responseCode = "200", description = "The rollout with its new list and version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutResponse.class)))
    public Response removeCanarySession(@PathParam("key") String key, @PathParam("sessionId") String sessionId,
                                        @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return ok(rollouts.removeCanarySession(key, sessionId, Versions.fromIfMatch(ifMatch), caller.name()));
    }

    @POST
    @Path("{key}/{action: " + ACTIONS + "}")
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Act on a rollout: start, advance, step-back, pause, resume, rollback, restart",
            description = "start needs the first step's entry gates to pass, advance needs every exit gate of the step and entry gate of the next to pass (409 listing "
                    + "the others), unless forced with a reason; a breached trigger blocks it even then. "
                    + "A reason is required for rollback and for a forced advance. With If-Match the action "
                    + "applies only to that version (412 otherwise). An action the status does not allow is a 409 "
                    + "naming the status and the allowed actions. Start and advance happen only inside the plan's "
                    + "deploymentWindows (409 naming nextWindowOpensAt; a forced one may act outside them) and never "
                    + "inside a freeze, forced or not (409 naming frozenUntil and freezeReason), unless an admin sends "
                    + "overrideFreeze with a reason. Rollback, step-back and pause are never held.")
    @RequestBody(required = false, content = @Content(examples = {
            @ExampleObject(name = "rollback", value = "{\"reason\":\"error rate 6% on canary\"}"),
            @ExampleObject(name = "overrideFreeze",
                    value = "{\"reason\":\"security fix, approved by the change board\",\"force\":true,\"overrideFreeze\":true}")}))
    @APIResponse(responseCode = "200", description = "The rollout after the action; ETag carries its version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutResponse.class)))
    @APIResponse(responseCode = "400", description = "A reason is missing, or force/overrideFreeze on an action they do not apply to")
    @APIResponse(responseCode = "403", description = "overrideFreeze from a caller who is not an admin")
    @APIResponse(responseCode = "409", description = "Not allowed in the current status, gates not passed, outside the "
            + "deployment windows, or inside a freeze")
    @APIResponse(responseCode = "412", description = "If-Match names an older version")
    public Response act(@PathParam("key") String key, @PathParam("action") String actionName, ActionRequest body,
                        @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Action action = Action.fromWireName(actionName).orElseThrow(() -> ServiceException.notFound("action " + actionName));
        String reason = body == null ? null : body.reason();
        boolean force = body != null && Boolean.TRUE.equals(body.force());
        boolean overrideFreeze = body != null && Boolean.TRUE.equals(body.overrideFreeze());
        if (overrideFreeze && !caller.get().roles().contains(Role.ADMIN)) {
            throw new ServiceException(ServiceException.Kind.FORBIDDEN, "only an admin may override a freeze");
        }
        return ok(rollouts.act(key, action, Versions.fromIfMatch(ifMatch), reason, force, overrideFreeze, caller.name()));
    }

    @PUT
    @Path("{key}/schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Schedule, move or clear the start of a draft",
            description = "At startAt the evaluator starts the draft (actor evaluator) if the first step's entry gates pass, "
                    + "a deployment window is open and no freeze holds it; otherwise it holds and journals which gate or "
                    + "window is missing (see evaluation.lastEvaluation on GET). Setting it sends rollout.scheduled; "
                    + "rollout.starting-soon goes out once, rollout.evaluator.starting-soon-notice (default PT24H) before, "
                    + "naming the sign-offs and entry gates still open.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "schedule",
            value = "{\"startAt\":\"2026-12-08T08:00:00Z\",\"reason\":\"agreed in the change board\"}")))
    @APIResponse(responseCode = "200", description = "The rollout with its startAt and new version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutResponse.class)))
    @APIResponse(responseCode = "400", description = "startAt not in the future or more than 366 days ahead")
    @APIResponse(responseCode = "404", description = "No such rollout")
    @APIResponse(responseCode = "409", description = "The rollout is not a draft")
    @APIResponse(responseCode = "412", description = "If-Match names an older version")
    public Response schedule(@PathParam("key") String key, ScheduleRequest body,
                             @Parameter(description = "Version (ETag) the change is based on")
                             @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if (body == null) {
            throw ServiceException.invalid("startAt", "required: a body such as {\"startAt\":\"2026-12-08T08:00:00Z\"}, "
                    + "or {\"startAt\":null} to clear");
        }
        return ok(rollouts.schedule(key, body.startAt(), body.reason(), Versions.fromIfMatch(ifMatch), caller.name()));
    }

    @GET
    @Path("{key}/events")
    @RequiresRole(Role.READER)
    @Operation(summary = "The audit log of a rollout, newest first",
            description = "Page with limit (1-200, default 50) and before (the nextBefore of the previous page).")
    public EventResponse.Page events(@PathParam("key") String key,
                                     @Parameter(description = "Page size", schema = @Schema(minimum = "1", maximum = "200", defaultValue = "50"))
                                     @QueryParam("limit") Integer limit,
                                     @Parameter(description = "The nextBefore of the previous page") @QueryParam("before") Long before) {
        int size = PageLimit.of(limit, 50, MAX_EVENT_PAGE);
        List<EventResponse> page = rollouts.events(key, size, before).stream().map(EventResponse::of).toList();
        Long next = page.size() == size ? page.get(page.size() - 1).id() : null;
        return new EventResponse.Page(page, next);
    }

    private static Response ok(StoredRollout stored) {
        return Response.ok(RolloutResponse.of(stored)).tag(Versions.etag(stored.rollout().version())).build();
    }
}
