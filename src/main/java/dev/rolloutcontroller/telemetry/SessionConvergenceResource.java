package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.PageLimit;
import dev.rolloutcontroller.telemetry.SessionConvergence.Fleet;
import dev.rolloutcontroller.telemetry.SessionConvergence.SessionState;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Whether the reporting fleet has caught up with the flags: what a rollback script waits on. */
@Path("/api/v1/rollouts/{key}/sessions")
@RequiresRole(Role.READER)
@Tag(name = "Telemetry", description = "Reports, smoke results, shadow comparisons and signals from the daemons (role reporter)")
@SecurityRequirement(name = "bearerToken")
public class SessionConvergenceResource {

    private static final String SUMMARY = "Reporting sessions: the path and flag version of each one's last report";
    private static final String DESCRIPTION = "Sessions whose last report ended within rollout.evaluator.convergence-window "
            + "(2 minutes). A session is stale when that report ran another path than its flag says now, or applied an "
            + "older rollout version. The counts cover every reporting session; at most `limit` sessions are listed. "
            + "With Accept: text/plain, a first line of counts and one line per listed session, for shell scripts.";

    private final SessionConvergence convergence;

    SessionConvergenceResource(SessionConvergence convergence) {
        this.convergence = convergence;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = SUMMARY, description = DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The counts and the listed sessions", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "after a rollback", value = """
            {"rollout":"modular-monitor","version":9,"status":"ROLLED_BACK","since":"2026-11-27T10:03:00Z",
             "sessionsReporting":3,"sessionsCurrent":2,"sessionsStale":1,
             "sessions":[{"sessionId":"session1","path":"new","flagVersion":8,"expectedPath":"legacy",
                          "lastReportAt":"2026-11-27T10:04:40Z","stale":true}]}""")))
    public Fleet sessions(@PathParam("key") String key,
                          @Parameter(description = "only the stale sessions") @QueryParam("stale") @DefaultValue("false") boolean stale,
                          @Parameter(description = "most sessions listed, 1..1000 (100)") @QueryParam("limit") Integer limit) {
        return convergence.fleet(key, stale, PageLimit.of(limit, 100, SessionConvergence.MAX_LIMIT));
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = SUMMARY + " (text)", description = DESCRIPTION)
    @APIResponse(responseCode = "200", description = "Counts, then one line per listed session", content = @Content(
            mediaType = MediaType.TEXT_PLAIN, examples = @ExampleObject(name = "after a rollback", value = """
            rollout=modular-monitor version=9 status=ROLLED_BACK reporting=3 current=2 stale=1
            session1 path=new flagVersion=8 expected=legacy lastReport=2026-11-27T10:04:40Z stale=true
            """)))
    public String sessionsText(@PathParam("key") String key,
                               @QueryParam("stale") @DefaultValue("false") boolean stale,
                               @QueryParam("limit") Integer limit) {
        Fleet fleet = convergence.fleet(key, stale, PageLimit.of(limit, 100, SessionConvergence.MAX_LIMIT));
        StringBuilder text = new StringBuilder()
                .append("rollout=").append(fleet.rollout()).append(" version=").append(fleet.version())
                .append(" status=").append(fleet.status()).append(" reporting=").append(fleet.sessionsReporting())
                .append(" current=").append(fleet.sessionsCurrent()).append(" stale=").append(fleet.sessionsStale()).append('\n');
        // Session ids are validated on ingest (no spaces or control characters), so one per line is unambiguous.
        for (SessionState s : fleet.sessions()) {
            text.append(s.sessionId()).append(" path=").append(s.path())
                    .append(" flagVersion=").append(s.flagVersion() == null ? "-" : s.flagVersion())
                    .append(" expected=").append(s.expectedPath()).append(" lastReport=").append(s.lastReportAt())
                    .append(" stale=").append(s.stale()).append('\n');
        }
        return text.toString();
    }
}
