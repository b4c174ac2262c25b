package dev.rolloutcontroller.flags;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.flags.FlagMetrics.Endpoint;
import dev.rolloutcontroller.flags.FlagMetrics.Outcome;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.ServiceException;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A rollout's flags for the daemons: per session or for the fleet, as JSON or shell lines, polled or streamed. */
@Path("/api/v1/rollouts/{key}/flags")
@RequiresRole(Role.READER)
@Tag(name = "Flags", description = "What the monitor daemons read: served from memory, cacheable with ETag")
@SecurityRequirement(name = "bearerToken")
public class RolloutFlagResource {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final FlagStore store;
    private final FlagMetrics metrics;

    RolloutFlagResource(FlagStore store, FlagMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @GET
    @NonBlocking
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Operation(summary = "A rollout's flags, for one session or for the fleet",
            description = "With session: the decision for that session and the legacy variables with the flag resolved to "
                    + "true or false. Without: the fleet view, the variables exactly as the checklist exported them (flag "
                    + "false, canary or true). JSON by default; NAME='value' lines, safe for eval in bash and sh, with "
                    + "Accept: text/plain or format=env. Send the ETag back as If-None-Match to get 304 while nothing changed.")
    @APIResponse(responseCode = "200", description = "The flags; ETag names the version and the context",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(anyOf = {SessionFlags.class, FleetFlags.class})),
                    @Content(mediaType = MediaType.TEXT_PLAIN, examples = @ExampleObject(name = "env",
                            value = "TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR='true'\nTMUX_ORCHESTRATOR_CANARY_SESSIONS='session1,session2'\n"
                                    + "TMUX_ORCHESTRATOR_ROLLOUT_PERCENTAGE='10'\nTMUX_ORCHESTRATOR_SHADOW_MODE='false'\n"))})
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "400", description = "Not a valid session id, or an unknown format")
    @APIResponse(responseCode = "404", description = "No such rollout")
    public Response flags(@PathParam("key") String key,
                          @Parameter(description = "The session to decide for; omit for the fleet view", example = "session1")
                          @QueryParam("session") String session,
                          @Parameter(description = "env or json; overrides the Accept header") @QueryParam("format") String format,
                          @HeaderParam(HttpHeaders.ACCEPT) String accept,
                          @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                          @Context HttpServerRequest http) {
        if (session == null) {
            // An empty ?session= reaches the parameter as null; it is a daemon with no session id, not a fleet read.
            session = http.getParam("session");
        }
        Endpoint endpoint = session == null ? Endpoint.FLEET : Endpoint.SESSION;
        RolloutFlags flags = find(key, endpoint);
        FlagFormat chosen = FlagFormat.choose(format, accept).orElseThrow(() -> {
            metrics.count(endpoint, Outcome.INVALID);
            return ServiceException.invalid("format", "either 'env' (NAME='value' lines) or 'json' (got '" + format + "')");
        });
        if (session != null) {
            requireValidSession(session, endpoint);
            SessionFlagRead read = SessionFlagRead.of(flags, session, chosen, ifNoneMatch);
            metrics.count(endpoint, read.notModified() ? Outcome.NOT_MODIFIED : Outcome.OK);
            return (read.notModified() ? FlagResponses.notModified(read.etag()) : FlagResponses.ok(read.body(), read.mediaType(), read.etag()))
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
        }
        String etag = flags.fleetTag(chosen);
        if (ETags.matches(ifNoneMatch, etag)) {
            metrics.count(endpoint, Outcome.NOT_MODIFIED);
            return FlagResponses.notModified(etag).header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
        }
        metrics.count(endpoint, Outcome.OK);
        String body = chosen == FlagFormat.JSON ? flags.fleetJson() : flags.fleetEnvText();
        String mediaType = chosen == FlagFormat.JSON ? MediaType.APPLICATION_JSON : FlagFormat.TEXT_PLAIN_UTF8;
        return FlagResponses.ok(body, mediaType, etag).header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
    }

    /** Up to 10,000 sessions in one request; unknown members are ignored, as on telemetry (daemons send it). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EvaluateRequest(
            @Schema(description = "Session ids, at most 10,000", examples = "[\"session1\",\"session2\"]")
            List<String> sessions) {
    }

    public record EvaluateResponse(
            @Schema(description = "The rollout's key") String rollout,
            @Schema(description = "The rollout version the decisions were made at") long version,
            @Schema(description = "Session id → whether it runs the new path", examples = "{\"session1\":true,\"session2\":false}")
            Map<String, Boolean> decisions) {
    }

    @POST
    @Path("evaluate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decide for many sessions at once", description = "For a daemon that watches many sessions: "
            + "one request, one version, a decision per session.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "sessions", value = "{\"sessions\":[\"session1\",\"session2\"]}")))
    @APIResponse(responseCode = "200", description = "A decision per session")
    @APIResponse(responseCode = "400", description = "No list, more than 10,000 sessions, or invalid ids (each named in errors[])")
    @APIResponse(responseCode = "404", description = "No such rollout")
    public EvaluateResponse evaluate(@PathParam("key") String key, EvaluateRequest request) {
        RolloutFlags flags = find(key, Endpoint.EVALUATE);
        List<String> sessions = request == null ? null : request.sessions();
        if (sessions == null) {
            metrics.count(Endpoint.EVALUATE, Outcome.INVALID);
            throw ServiceException.invalid("sessions", "required: a list of session ids, e.g. {\"sessions\":[\"session1\"]}");
        }
        if (sessions.size() > Identifiers.MAX_CANARY_SESSIONS) {
            metrics.count(Endpoint.EVALUATE, Outcome.INVALID);
            throw ServiceException.invalid("sessions", "at most " + Identifiers.MAX_CANARY_SESSIONS + " sessions per request (got "
                    + sessions.size() + ")");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Boolean> decisions = new LinkedHashMap<>();
        for (int i = 0; i < sessions.size(); i++) {
            String session = sessions.get(i);
            int index = i;
            Identifiers.sessionIdProblem(session).ifPresentOrElse(
                    problem -> errors.add(new FieldError("sessions[" + index + "]", problem)),
                    () -> decisions.put(session, flags.decide(session).enabled()));
        }
        if (!errors.isEmpty()) {
            metrics.count(Endpoint.EVALUATE, Outcome.INVALID);
            throw ServiceException.invalid(errors);
        }
        metrics.count(Endpoint.EVALUATE, Outcome.OK);
        return new EvaluateResponse(flags.key(), flags.version(), decisions);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-sent events: the fleet view on connect, then one event per change",
            description = "Each event is named 'flags', carries the fleet view as JSON and has the rollout version as its id. "
                    + "A reconnecting client sends Last-Event-ID; if it names the current version, the view is not sent again. "
                    + "A ': heartbeat' comment line keeps the connection alive.")
    @APIResponse(responseCode = "200", description = "The event stream")
    @APIResponse(responseCode = "404", description = "No such rollout")
    public Multi<OutboundSseEvent> stream(@PathParam("key") String key,
                                          @Parameter(description = "The id of the last event received (a version)")
                                          @HeaderParam(LAST_EVENT_ID) String lastEventId,
                                          @Context Sse sse) {
        find(key, Endpoint.STREAM);
        metrics.count(Endpoint.STREAM, Outcome.OK);
        return store.stream(key, lastEventId, sse);
    }

    private RolloutFlags find(String key, Endpoint endpoint) {
        return store.snapshot().get(key).orElseThrow(() -> {
            metrics.count(endpoint, Outcome.NOT_FOUND);
            return ServiceException.notFound("rollout '" + key + "'");
        });
    }

    private void requireValidSession(String session, Endpoint endpoint) {
        Identifiers.sessionIdProblem(session).ifPresent(problem -> {
            metrics.count(endpoint, Outcome.INVALID);
            throw ServiceException.invalid("session", problem);
        });
    }
}
