package dev.rolloutcontroller.telemetry;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.telemetry.TelemetryRequests.Accepted;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What daemons observe, in: idempotent, validated, 202 with what was new. */
@Path("/api/v1/rollouts/{key}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.REPORTER)
@Tag(name = "Telemetry", description = "Reports, smoke results, shadow comparisons and signals from the daemons (role reporter)")
@SecurityRequirement(name = "bearerToken")
public class TelemetryResource {

    private final TelemetryService telemetry;

    TelemetryResource(TelemetryService telemetry) {
        this.telemetry = telemetry;
    }

    @POST
    @Path("reports")
    @Operation(summary = "Post up to 1,000 session reports", description = "A report whose reportId was stored before is "
            + "counted as a duplicate and not stored again. An invalid report rejects the whole batch (400 naming each field).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "one report", value = """
            {"reports":[{"reportId":"6f1c2d8e-3a4b-4c5d-9e8f-0a1b2c3d4e5f","sessionId":"session1","path":"new",
              "periodStart":"2026-11-27T10:00:00Z","periodEnd":"2026-11-27T10:01:00Z","cycles":60,"errors":0,
              "cycleTimeP50Ms":12.5,"cycleTimeP95Ms":40.0,"cycleTimeMaxMs":75.0,"memoryBytes":157286400,
              "cpuPercent":3.5,"flagVersion":4}]}""")))
    @APIResponse(responseCode = "202", description = "{accepted, duplicates}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TelemetryRequests.Accepted.class)))
    public Response reports(@PathParam("key") String key, TelemetryRequests.ReportBatch batch) {
        return accepted(telemetry.storeReports(key, batch));
    }

    @POST
    @Path("smoke-results")
    @Operation(summary = "Post a smoke-test result (agent-discovery, idle-detection, notification-delivery, pm-recovery, performance)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "discovery", value = """
            {"check":"agent-discovery","passed":true,"value":100,"unit":"%","sessionId":"session1","at":"2026-11-27T10:05:00Z"}""")))
    @APIResponse(responseCode = "202", description = "{accepted, duplicates}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TelemetryRequests.Accepted.class)))
    public Response smokeResult(@PathParam("key") String key, TelemetryRequests.SmokeResult result) {
        return accepted(telemetry.storeSmokeResult(key, result));
    }

    @POST
    @Path("shadow-comparisons")
    @Operation(summary = "Post a shadow-mode comparison (legacy vs new on one session)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "idle", value = """
            {"sessionId":"session1","category":"idle","comparisons":120,"mismatches":2,
             "periodStart":"2026-11-27T10:00:00Z","periodEnd":"2026-11-27T10:10:00Z"}""")))
    @APIResponse(responseCode = "202", description = "{accepted, duplicates}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TelemetryRequests.Accepted.class)))
    public Response shadowComparison(@PathParam("key") String key, TelemetryRequests.ShadowComparison comparison) {
        return accepted(telemetry.storeShadowComparison(key, comparison));
    }

    @POST
    @Path("signals")
    @Operation(summary = "Post a signal: a support ticket or a note")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "ticket", value = """
            {"type":"support-ticket","count":1,"ref":"SUP-1234","at":"2026-11-27T10:07:00Z"}""")))
    @APIResponse(responseCode = "202", description = "{accepted, duplicates}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TelemetryRequests.Accepted.class)))
    public Response signal(@PathParam("key") String key, TelemetryRequests.Signal signal) {
        return accepted(telemetry.storeSignal(key, signal));
    }

    private static Response accepted(Accepted accepted) {
        return Response.accepted(accepted).build();
    }
}
