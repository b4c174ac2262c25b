package dev.rolloutcontroller.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.flags.FlagMetrics.Endpoint;
import dev.rolloutcontroller.flags.FlagMetrics.Outcome;
import dev.rolloutcontroller.security.BodylessAuthErrors;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The OpenFeature Remote Evaluation Protocol, so any OpenFeature SDK with an OFREP provider reads the
 * rollouts as boolean flags, the session being the targeting key. Errors take OFREP's own shape,
 * and 401/403 have no body, as the protocol says.
 */
@Path("/ofrep/v1/evaluate/flags")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.READER)
@BodylessAuthErrors
@Tag(name = "OFREP", description = "OpenFeature Remote Evaluation Protocol v0.3.0 (core)")
@SecurityRequirement(name = "bearerToken")
public class OfrepResource {

    private static final String REQUEST_EXAMPLE = "{\"context\":{\"targetingKey\":\"session1\"}}";

    private final FlagStore store;
    private final FlagMetrics metrics;
    private final ObjectMapper json;

    OfrepResource(FlagStore store, FlagMetrics metrics, ObjectMapper json) {
        this.store = store;
        this.metrics = metrics;
        this.json = json;
    }

    @POST
    @Path("{key}")
    @NonBlocking
    @Operation(summary = "OFREP single flag evaluation", description = "The rollout's decision for the session named by "
            + "context.targetingKey, as a boolean flag with variant on or off.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "session", value = REQUEST_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Evaluated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ofrep.Success.class)))
    @APIResponse(responseCode = "304", description = "Nothing changed since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "400", description = "TARGETING_KEY_MISSING, INVALID_CONTEXT or PARSE_ERROR",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ofrep.Failure.class)))
    @APIResponse(responseCode = "404", description = "FLAG_NOT_FOUND: no rollout with this key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ofrep.Failure.class)))
    @APIResponse(responseCode = "401", description = "No valid token (no body)")
    @APIResponse(responseCode = "403", description = "The token may not read (no body)")
    public Response evaluate(@PathParam("key") String key, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, String body) {
        RolloutFlags flags = store.snapshot().get(key).orElse(null);
        if (flags == null) {
            metrics.count(Endpoint.OFREP, Outcome.NOT_FOUND);
            return Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(new Ofrep.Failure(key, Ofrep.FLAG_NOT_FOUND, "no rollout has the key '" + key + "'")).build();
        }
        Ofrep.Context context = Ofrep.context(json, body);
        if (context instanceof Ofrep.Context.Invalid invalid) {
            metrics.count(Endpoint.OFREP, Outcome.INVALID);
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new Ofrep.Failure(key, invalid.errorCode(), invalid.errorDetails())).build();
        }
        String session = ((Ofrep.Context.Session) context).id();
        String etag = flags.tag('o', session);
        if (ETags.matches(ifNoneMatch, etag)) {
            metrics.count(Endpoint.OFREP, Outcome.NOT_MODIFIED);
            return FlagResponses.notModified(etag).build();
        }
        metrics.count(Endpoint.OFREP, Outcome.OK);
        return FlagResponses.okJson(Ofrep.success(flags, session), etag);
    }

    @POST
    @NonBlocking
    @Operation(summary = "OFREP bulk evaluation", description = "Every rollout's decision for the session named by "
            + "context.targetingKey. Send the ETag back as If-None-Match to get 304 while no rollout changed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "session", value = REQUEST_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Every flag, evaluated; ETag for If-None-Match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ofrep.Bulk.class)))
    @APIResponse(responseCode = "304", description = "Nothing changed since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "400", description = "TARGETING_KEY_MISSING, INVALID_CONTEXT or PARSE_ERROR (no key)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ofrep.Failure.class)))
    @APIResponse(responseCode = "401", description = "No valid token (no body)")
    @APIResponse(responseCode = "403", description = "The token may not read (no body)")
    public Response evaluateAll(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, String body) {
        Ofrep.Context context = Ofrep.context(json, body);
        if (context instanceof Ofrep.Context.Invalid invalid) {
            metrics.count(Endpoint.OFREP_BULK, Outcome.INVALID);
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new Ofrep.Failure(null, invalid.errorCode(), invalid.errorDetails())).build();
        }
        String session = ((Ofrep.Context.Session) context).id();
        FlagSnapshot snapshot = store.snapshot();
        String etag = snapshot.tag('b', session);
        if (ETags.matches(ifNoneMatch, etag)) {
            metrics.count(Endpoint.OFREP_BULK, Outcome.NOT_MODIFIED);
            return FlagResponses.notModified(etag).build();
        }
        List<Ofrep.Success> flags = snapshot.all().stream().map(rollout -> Ofrep.success(rollout, session)).toList();
        metrics.count(Endpoint.OFREP_BULK, Outcome.OK);
        return FlagResponses.okJson(new Ofrep.Bulk(flags), etag);
    }
}
