package dev.rolloutcontroller.api;

import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.telemetry.RolloutMetrics;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The time series behind the console's charts, for scripts too. */
@Path("/api/v1/rollouts/{key}/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rollouts")
@SecurityRequirement(name = "bearerToken")
public class RolloutMetricsResource {

    private final RolloutMetrics metrics;

    RolloutMetricsResource(RolloutMetrics metrics) {
        this.metrics = metrics;
    }

    @GET
    @RequiresRole(Role.READER)
    @Operation(summary = "New path against legacy path over time, from the per-minute rollups, with the step changes",
            description = "Default range: the last 24 hours at PT1M. At most 31 days and 10,000 points per series; "
                    + "null where a bucket has no data.")
    @APIResponse(responseCode = "200", description = "The series",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RolloutMetrics.Response.class)))
    @APIResponse(responseCode = "400", description = "Invalid from, to or resolution, listed in errors[]",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such rollout",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RolloutMetrics.Response read(@PathParam("key") String key,
                                        @Parameter(description = "Start, ISO-8601 instant (default: to minus 24 h)") @QueryParam("from") String from,
                                        @Parameter(description = "End (exclusive), ISO-8601 instant (default: now)") @QueryParam("to") String to,
                                        @Parameter(description = "Bucket size, whole minutes PT1M..P1D (default PT1M)") @QueryParam("resolution") String resolution) {
        return metrics.read(key, from, to, resolution);
    }
}
