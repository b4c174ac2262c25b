package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.flags.FlagMetrics.Endpoint;
import dev.rolloutcontroller.flags.FlagMetrics.Outcome;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.ServiceException;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Every rollout's decision for one session. */
@Path("/api/v1/sessions/{sessionId}/flags")
@RequiresRole(Role.READER)
@Tag(name = "Flags")
@SecurityRequirement(name = "bearerToken")
public class SessionFlagResource {

    public record SessionFlagList(
            @Schema(description = "The session asked about", examples = "session1") String session,
            @Schema(description = "One entry per rollout, by key") List<SessionFlags> flags) {
    }

    private final FlagStore store;
    private final FlagMetrics metrics;

    SessionFlagResource(FlagStore store, FlagMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every rollout's flags for one session",
            description = "The ETag changes when any rollout changes; send it back as If-None-Match to get 304.")
    @APIResponse(responseCode = "200", description = "The decisions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionFlagList.class)))
    @APIResponse(responseCode = "304", description = "No rollout changed since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "400", description = "Not a valid session id")
    public Response flags(@PathParam("sessionId") String sessionId, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Identifiers.sessionIdProblem(sessionId).ifPresent(problem -> {
            metrics.count(Endpoint.SESSION_ALL, Outcome.INVALID);
            throw ServiceException.invalid("sessionId", problem);
        });
        FlagSnapshot snapshot = store.snapshot();
        String etag = snapshot.tag('s', sessionId);
        if (ETags.matches(ifNoneMatch, etag)) {
            metrics.count(Endpoint.SESSION_ALL, Outcome.NOT_MODIFIED);
            return FlagResponses.notModified(etag).build();
        }
        List<SessionFlags> flags = snapshot.all().stream()
                .map(rollout -> rollout.forSession(sessionId, rollout.decide(sessionId)))
                .toList();
        metrics.count(Endpoint.SESSION_ALL, Outcome.OK);
        return FlagResponses.okJson(new SessionFlagList(sessionId, flags), etag);
    }
}
