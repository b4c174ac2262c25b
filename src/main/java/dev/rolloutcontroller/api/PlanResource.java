package dev.rolloutcontroller.api;

import dev.rolloutcontroller.api.PlanRequests.ChangedPath;
import dev.rolloutcontroller.api.PlanRequests.PlanChange;
import dev.rolloutcontroller.api.PlanRequests.PlanChanged;
import dev.rolloutcontroller.api.PlanRequests.PlanHistory;
import dev.rolloutcontroller.api.PlanRequests.PlanVersionResponse;
import dev.rolloutcontroller.api.PlanRequests.ReplayRequest;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.evaluator.PlanReplays;
import dev.rolloutcontroller.evaluator.ReplayView;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.PageLimit;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A rollout's plan while it runs: edit it, read its versions, and replay a plan on what was recorded. */
@Path("/api/v1/rollouts/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Plans", description = "Edit a running plan, its versions, and what-if replays on recorded telemetry")
@SecurityRequirement(name = "bearerToken")
public class PlanResource {

    static final int MAX_HISTORY_PAGE = 100;

    private final RolloutService rollouts;
    private final PlanReplays replays;
    private final CurrentCaller caller;

    PlanResource(RolloutService rollouts, PlanReplays replays, CurrentCaller caller) {
        this.rollouts = rollouts;
        this.replays = replays;
        this.caller = caller;
    }

    @PUT
    @Path("plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "Change the plan of a rollout, or replay the change first (dryRun=true)",
            description = "Thresholds, windows, minimum samples, consecutive counts, soaks, sign-off roles, triggers and the "
                    + "steps not yet reached may change; steps already left and the current step's name, percentage and "
                    + "shadow flag may not (400 naming the field). A running soak keeps its start. The rollout's version "
                    + "goes up and a new plan version is stored; the audit event rollout.plan-changed carries the diff and "
                    + "a plan.changed webhook goes out. If-Match is required (428 without, 412 when stale). With "
                    + "dryRun=true nothing is saved and the answer is the replay of the last 24 hours under the submitted plan.")
    @RequestBody(required = true, content = @Content(examples = @ExampleObject(name = "threshold",
            value = "{\"plan\":{\"steps\":[...],\"triggers\":[...]},\"reason\":\"error-rate trigger at 4% as agreed\"}")))
    @APIResponse(responseCode = "200", description = "The change (ETag: the rollout's new version), or with dryRun the replay",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {PlanChanged.class, ReplayView.class})))
    @APIResponse(responseCode = "400", description = "An invalid plan, or a change of what may not change; errors[] names each field")
    @APIResponse(responseCode = "412", description = "If-Match names another version than the current one")
    @APIResponse(responseCode = "428", description = "If-Match is missing")
    public Response changePlan(@PathParam("key") String key, PlanChange body,
                               @Parameter(description = "The rollout's version (ETag) the change is based on; required")
                               @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                               @Parameter(description = "Replay the last 24 hours under the plan instead of saving it",
                                       schema = @Schema(defaultValue = "false")) @QueryParam("dryRun") boolean dryRun) {
        if (body == null) {
            throw ServiceException.invalid("plan", "required: {\"plan\": {...}, \"reason\": \"...\"}");
        }
        if (dryRun) {
            rollouts.checkPlanChange(key, body.plan());
            return Response.ok(replays.replay(key, body.plan(), null, null)).build();
        }
        RolloutService.PlanEdited edited = rollouts.changePlan(key, body.plan(), body.reason(), Versions.fromIfMatch(ifMatch),
                caller.name());
        long version = edited.stored().rollout().version();
        return Response.ok(new PlanChanged(key, version, edited.planVersion(), ChangedPath.of(edited.changes()),
                PlanSpecs.fromPlan(edited.stored().rollout().plan()))).tag(Versions.etag(version)).build();
    }

    @GET
    @Path("plan/history")
    @RequiresRole(Role.READER)
    @Operation(summary = "Every version of the rollout's plan, newest first",
            description = "Version 1 is the plan the rollout was created with; each accepted edit adds one. At most limit "
                    + "(1-100, default 20) versions.")
    @APIResponse(responseCode = "200", description = "The versions, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanHistory.class)))
    public PlanHistory history(@PathParam("key") String key,
                               @Parameter(description = "How many versions", schema = @Schema(minimum = "1", maximum = "100",
                                       defaultValue = "20")) @QueryParam("limit") Integer limit) {
        int size = PageLimit.of(limit, 20, MAX_HISTORY_PAGE);
        return new PlanHistory(rollouts.planHistory(key, size).stream().map(PlanVersionResponse::of).toList());
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Replay a plan on the recorded telemetry: what would it have decided?",
            description = "Judges the plan (default: the current one) with the evaluator's engine at every evaluator interval "
                    + "of [from, to] (default: the last 24 hours; at most 7 days) over the recorded rollups, smoke results, "
                    + "shadow comparisons, support tickets and sign-offs, simulating the steps it would have moved through; "
                    + "lists its decisions next to the journal's and the first point where they differ. Changes nothing. "
                    + "limits[] says what it could not reproduce.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "last night, current plan",
            value = "{\"from\":\"2026-11-30T20:00:00Z\",\"to\":\"2026-12-01T06:00:00Z\"}")))
    @APIResponse(responseCode = "200", description = "The replay",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReplayView.class)))
    @APIResponse(responseCode = "400", description = "An invalid plan or period; errors[] names each field")
    public ReplayView replay(@PathParam("key") String key, ReplayRequest body) {
        ReplayRequest request = body == null ? new ReplayRequest(null, null, null) : body;
        return replays.replay(key, request.plan(), request.from(), request.to());
    }
}
