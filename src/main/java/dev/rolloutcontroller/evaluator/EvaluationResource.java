package dev.rolloutcontroller.evaluator;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.persistence.BaselineEntity;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.Rollouts;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.transaction.Transactional;
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

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    }

    public record BaselineRequest(Map<String, Double> metrics) {
    }

    private final RolloutEvaluator evaluator;
    private final AuditLog auditLog;
    private final CurrentCaller caller;
    private final Clock clock;

    EvaluationResource(RolloutEvaluator evaluator, AuditLog auditLog, CurrentCaller caller, Clock clock) {
        this.evaluator = evaluator;
        this.auditLog = auditLog;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Path("evaluations")
    @RequiresRole(Role.READER)
    @Operation(summary = "The decision journal, newest first: every gate's and trigger's verdict and value, and the action taken")
    public EvaluationList evaluations(@PathParam("key") String key,
                                      @Parameter(description = "How many entries", schema = @Schema(minimum = "1", maximum = "500", defaultValue = "20"))
                                      @QueryParam("limit") Integer limit) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ServiceException.invalid("limit", "between 1 and " + MAX_PAGE);
        }
        return new EvaluationList(evaluator.journal(key, size).stream().map(EvaluationView::of).toList());
    }

    @POST
    @Path("evaluate")
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Run an evaluation pass now (as the scheduled evaluator would) and return its journal entry",
            description = "The pass acts on its decision: it may advance, step back, pause or roll back the rollout.")
    @APIResponse(responseCode = "200", description = "The journal entry of the pass",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationView.class)))
    @APIResponse(responseCode = "409",
            description = "The rollout is not live (draft, rolled back, or completed past the watch period)")
    public EvaluationView evaluateNow(@PathParam("key") String key) {
        return evaluator.evaluate(key).map(EvaluationView::of).orElseThrow(() -> new ServiceException(
                ServiceException.Kind.CONFLICT, "rollout '" + key + "' is not live: nothing to evaluate"));
    }

    @GET
    @Path("baseline")
    @RequiresRole(Role.READER)
    @Operation(summary = "The baseline that conditions relative to 'baseline' use when no legacy sessions report")
    public Baseline baseline(@PathParam("key") String key) {
        Rollouts.existing(key);
        BaselineEntity baseline = BaselineEntity.findById(key);
        if (baseline == null) {
            throw ServiceException.notFound("a baseline of rollout '" + key + "' (none captured or set yet)");
        }
        return new Baseline(baseline.metrics, baseline.source, baseline.step, baseline.capturedAt);
    }

    @POST
    @Path("baseline")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Set baseline figures by hand (merged into the current baseline)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "p95", value = "{\"metrics\":{\"cycle_time_p95_ms\":42.0,\"error_rate\":0.0004}}")))
    public Baseline setBaseline(@PathParam("key") String key, BaselineRequest request) {
        Rollouts.existing(key);
        Map<String, Double> metrics = validMetrics(request);
        BaselineEntity baseline = BaselineEntity.findById(key);
        Map<String, Object> before = baseline == null ? null : Map.of("metrics", baseline.metrics);
        if (baseline == null) {
            baseline = new BaselineEntity();
            baseline.rolloutKey = key;
            baseline.metrics = new LinkedHashMap<>();
        }
        Map<String, Double> merged = new LinkedHashMap<>(baseline.metrics);
        merged.putAll(metrics);
        baseline.metrics = merged;
        baseline.source = "operator";
        baseline.capturedAt = clock.instant();
        baseline.persist();
        auditLog.record(key, "baseline.set", caller.name(), null, before, Map.of("metrics", merged), baseline.capturedAt);
        return new Baseline(baseline.metrics, baseline.source, baseline.step, baseline.capturedAt);
    }

    private static Map<String, Double> validMetrics(BaselineRequest request) {
        if (request == null || request.metrics() == null || request.metrics().isEmpty()) {
            throw ServiceException.invalid("metrics", "required: e.g. {\"cycle_time_p95_ms\": 42.0}");
        }
        List<FieldError> errors = new ArrayList<>();
        request.metrics().forEach((metric, value) -> {
            String[] parts = metric.split(":", 2);
            boolean known = Vocabulary.METRICS.contains(parts[0])
                    && (parts.length == 1 || (parts[0].equals("shadow_mismatch_rate") && Vocabulary.SHADOW_CATEGORIES.contains(parts[1])));
            if (!known) {
                errors.add(new FieldError("metrics." + metric,
                        "unknown metric; one of " + Vocabulary.METRICS + " (shadow_mismatch_rate:<category>)"));
            } else if (value == null || !Double.isFinite(value) || value < 0) {
                errors.add(new FieldError("metrics." + metric, "must be a number >= 0"));
            }
        });
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
        return request.metrics();
    }

}
