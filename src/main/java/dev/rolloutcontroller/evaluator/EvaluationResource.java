package dev.rolloutcontroller.evaluator;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.PageLimit;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

@Path("/api/v1/rollouts/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluations", description = "The evaluator's decision journal and the baseline it compares with")
@SecurityRequirement(name = "bearerToken")
public class EvaluationResource {

    static final int MAX_PAGE = 500;

    public record EvaluationList(List<EvaluationView> evaluations) {
    }

    public record Baseline(Map<String, Double> metrics, String source, String step, Instant capturedAt) {
        static Baseline of(RolloutService.BaselineView view) {
            return new Baseline(view.metrics(), view.source(), view.step(), view.capturedAt());
        }
    }

    public record BaselineRequest(Map<String, Double> metrics) {
    }

    private final RolloutEvaluator evaluator;
    private final RolloutService rollouts;
    private final CurrentCaller caller;

    EvaluationResource(RolloutEvaluator evaluator, RolloutService rollouts, CurrentCaller caller) {
        this.evaluator = evaluator;
        this.rollouts = rollouts;
        this.caller = caller;
    }

    @GET
    @Path("evaluations")
    @RequiresRole(Role.READER)
    @Operation(summary = "The decision journal, newest first: every gate's and trigger's verdict and value, and the action taken")
    public EvaluationList evaluations(@PathParam("key") String key,
                                      @Parameter(description = "How many entries", schema = @Schema(minimum = "1", maximum = "500", defaultValue = "20"))
                                      @QueryParam("limit") Integer limit) {
        int size = PageLimit.of(limit, 20, MAX_PAGE);
        return new EvaluationList(evaluator.journal(key, size));
    }

    @POST
    @Path("evaluate")
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Run an evaluation pass now (as the scheduled evaluator would) and return its journal entry",
            description = "The pass acts on its decision: it may advance, step back, pause or roll back the rollout. "
                    + "When the decision cannot be applied, the entry returned carries `failure` and the next pass retries.")
    @APIResponse(responseCode = "200", description = "The journal entry of the pass",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationView.class)))
    @APIResponse(responseCode = "409",
            description = "The rollout is not live (draft, rolled back, or completed past the watch period)")
    public EvaluationView evaluateNow(@PathParam("key") String key) {
        return evaluator.evaluate(key).orElseThrow(() -> new ServiceException(
                ServiceException.Kind.CONFLICT, "rollout '" + key + "' is not live: nothing to evaluate"));
    }

    @GET
    @Path("baseline")
    @RequiresRole(Role.READER)
    @Operation(summary = "The baseline that conditions relative to 'baseline' use when no legacy sessions report")
    public Baseline baseline(@PathParam("key") String key) {
        return rollouts.baseline(key).map(Baseline::of).orElseThrow(() ->
                ServiceException.notFound("a baseline of rollout '" + key + "' (none captured or set yet)"));
    }

    @POST
    @Path("baseline")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Set baseline figures by hand (merged into the current baseline)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "p95", value = "{\"metrics\":{\"cycle_time_p95_ms\":42.0,\"error_rate\":0.0004}}")))
    public Baseline setBaseline(@PathParam("key") String key, BaselineRequest request) {
        return Baseline.of(rollouts.setBaseline(key, request == null ? null : request.metrics(), caller.name()));
    }
}
