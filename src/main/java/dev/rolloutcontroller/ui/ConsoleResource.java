package dev.rolloutcontroller.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.evaluator.SignOffService;
import dev.rolloutcontroller.security.ConsoleAuthenticationFilter;
import dev.rolloutcontroller.security.ConsolePage;
import dev.rolloutcontroller.security.ConsoleSessions;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.CurrentConsoleSession;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.CreateRollout;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.ServiceException;
import dev.rolloutcontroller.telemetry.RolloutMetrics;
import dev.rolloutcontroller.ui.Views.FieldProblem;
import dev.rolloutcontroller.ui.Views.Layout;
import dev.rolloutcontroller.ui.Views.ListPage;
import dev.rolloutcontroller.ui.Views.NewRolloutForm;
import dev.rolloutcontroller.ui.Views.RolloutPage;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The operator console's rollout pages. Reads come from {@link ConsoleViews}; every change calls the
 * same service method the REST API calls, with the signed-in token as the actor. A refused change
 * shows the page again with the reason at the top and next to the field it names.
 */
@Path("/ui")
@ConsolePage
@RequiresRole(Role.READER)
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Layout layout, ListPage page);

        static native TemplateInstance rollout(Layout layout, RolloutPage page);

        static native TemplateInstance rollout$live(Layout layout, RolloutPage page);

        static native TemplateInstance report(Layout layout, GoNoGoReports.Report report);

        static native TemplateInstance message(Layout layout, String heading, String text);
    }

    private final ConsoleViews views;
    private final RolloutService rollouts;
    private final SignOffService signOffs;
    private final ConsoleUpdates updates;
    private final CurrentCaller caller;
    private final CurrentConsoleSession session;
    private final ObjectMapper json;
    private final ConsoleSessions sessions;
    private final RolloutMetrics metrics;
    private final GoNoGoReports reports;

    ConsoleResource(ConsoleViews views, RolloutService rollouts, SignOffService signOffs,
                    ConsoleUpdates updates, CurrentCaller caller, CurrentConsoleSession session, ObjectMapper json, ConsoleSessions sessions,
                    RolloutMetrics metrics, GoNoGoReports reports) {
        this.views = views;
        this.rollouts = rollouts;
        this.signOffs = signOffs;
        this.updates = updates;
        this.caller = caller;
        this.session = session;
        this.json = json;
        this.sessions = sessions;
        this.metrics = metrics;
        this.reports = reports;
    }

    @POST
    @Path("logout")
    public Response signOut(@Context UriInfo uri) {
        session.get().ifPresent(s -> sessions.close(s.id()));
        return Response.seeOther(URI.create(ConsoleAuthenticationFilter.SIGN_IN_PATH))
                .cookie(SignInResource.cookie(ConsoleAuthenticationFilter.SESSION_COOKIE, "", uri, 0)).build();
    }

    @GET
    @Path("/")
    public TemplateInstance list() {
        return listPage(NewRolloutForm.EMPTY, List.of());
    }

    @POST
    @Path("rollouts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RequiresRole(Role.ADMIN)
    public Response create(@RestForm String key, @RestForm String description, @RestForm String shadowStep,
                           @RestForm String canarySessions, @RestForm String plan) {
        NewRolloutForm form = new NewRolloutForm(nullToEmpty(key), nullToEmpty(description), "true".equals(shadowStep),
                nullToEmpty(canarySessions), nullToEmpty(plan));
        PlanSpec planSpec = null;
        if (!form.plan().isBlank()) {
            try {
                planSpec = json.readValue(form.plan(), PlanSpec.class);
            } catch (JsonProcessingException e) {
                return Response.status(400).entity(listPage(form, List.of(new FieldProblem("plan",
                        "the plan is not valid JSON for a plan (" + e.getOriginalMessage() + ")")))).build();
            }
        }
        List<String> canary = sessionList(form.canarySessions());
        try {
            rollouts.create(new CreateRollout(form.key().trim(), form.description(), planSpec == null ? form.shadowStep() : null,
                    null, canary, planSpec, null, null, null, null), caller.name());
        } catch (ServiceException e) {
            return Response.status(status(e)).entity(listPage(form, problems(e))).build();
        }
        return toRollout(form.key().trim());
    }

    @GET
    @Path("rollouts/{key}")
    public Response rollout(@PathParam("key") String key, @QueryParam("before") String before) {
        try {
            return Response.ok(Templates.rollout(layout("Rollout " + key), views.page(key, caller.get(), before, List.of()))).build();
        } catch (ServiceException e) {
            return Response.status(status(e)).entity(Templates.message(layout("Not found"), "Not found", e.getMessage())).build();
        }
    }

    /** The part of the rollout page that changes; the page fetches it again on each server-sent "changed" event. */
    @GET
    @Path("rollouts/{key}/live")
    public TemplateInstance live(@PathParam("key") String key, @QueryParam("before") String before) {
        return Templates.rollout$live(layout("Rollout " + key), views.page(key, caller.get(), before, List.of()));
    }

    /** Server-sent events: "changed" whenever the rollout changes, by any route on any replica. */
    @GET
    @Path("rollouts/{key}/updates")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public void updates(@PathParam("key") String key, @Context SseEventSink sink, @Context Sse sse) {
        rollouts.get(key);
        updates.subscribe(key, sink, sse);
    }

    /** The Go/No-Go report, printable; GET /api/v1/rollouts/{key}/report gives the same as Markdown. */
    @GET
    @Path("rollouts/{key}/report")
    public Response report(@PathParam("key") String key) {
        try {
            return Response.ok(Templates.report(layout("Go/No-Go report " + key), reports.report(key))).build();
        } catch (ServiceException e) {
            return Response.status(status(e)).entity(Templates.message(layout("Not found"), "Not found", e.getMessage())).build();
        }
    }

    /** The series of GET /api/v1/rollouts/{key}/metrics, for the page's charts (which hold a session, not a token). */
    @GET
    @Path("rollouts/{key}/metrics")
    @Produces(MediaType.APPLICATION_JSON)
    public RolloutMetrics.Response metrics(@PathParam("key") String key, @QueryParam("from") String from,
                                           @QueryParam("to") String to, @QueryParam("resolution") String resolution) {
        return metrics.read(key, from, to, resolution);
    }

    @POST
    @Path("rollouts/{key}/actions/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RequiresRole(Role.OPERATOR)
    public Response act(@PathParam("key") String key, @PathParam("action") String actionName, @RestForm String reason,
                        @RestForm String force, @RestForm String version, @RestForm String confirm) {
        Action action = Action.fromWireName(actionName).orElse(null);
        if (action == null) {
            return rolloutWithErrors(key, 404, List.of(new FieldProblem("action", "there is no action '" + actionName + "'")));
        }
        String why = reason == null || reason.isBlank() ? null : reason.trim();
        boolean forced = "true".equals(force);
        if (action == Action.ROLLBACK && !"yes".equals(confirm)) {
            return rolloutWithErrors(key, 400, List.of(new FieldProblem("confirm-rollback",
                    "tick the box to confirm the rollback: every session goes back to the legacy path")));
        }
        try {
            Long expected = parseVersion(version);
            rollouts.act(key, action, expected, why, forced && (action == Action.START || action == Action.ADVANCE), caller.name());
        } catch (ServiceException e) {
            return rolloutWithErrors(key, status(e), problems(e, "reason"));
        }
        return toRollout(key);
    }

    @POST
    @Path("rollouts/{key}/sign-offs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOff(@PathParam("key") String key, @RestForm String role, @RestForm String step, @RestForm String comment) {
        try {
            signOffs.signOff(key, role, step, comment == null || comment.isBlank() ? null : comment.trim(), caller.get());
        } catch (ServiceException e) {
            return rolloutWithErrors(key, status(e), problems(e));
        }
        return toRollout(key);
    }

    @POST
    @Path("rollouts/{key}/sign-offs/{id}/withdraw")
    public Response withdraw(@PathParam("key") String key, @PathParam("id") long id) {
        try {
            signOffs.withdraw(key, id, caller.get());
        } catch (ServiceException e) {
            return rolloutWithErrors(key, status(e), problems(e));
        }
        return toRollout(key);
    }

    @POST
    @Path("rollouts/{key}/canary-sessions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RequiresRole(Role.OPERATOR)
    public Response replaceCanary(@PathParam("key") String key, @RestForm String sessions, @RestForm String version) {
        try {
            rollouts.replaceCanarySessions(key, sessionList(nullToEmpty(sessions)), parseVersion(version), caller.name());
        } catch (ServiceException e) {
            return rolloutWithErrors(key, status(e), problems(e, "canary-sessions"));
        }
        return toRollout(key);
    }

    private TemplateInstance listPage(NewRolloutForm form, List<FieldProblem> errors) {
        return Templates.list(layout("Rollouts"), new ListPage(views.rows(), caller.get().may(Role.ADMIN), form, errors));
    }

    private Response rolloutWithErrors(String key, int status, List<FieldProblem> errors) {
        try {
            return Response.status(status).entity(Templates.rollout(layout("Rollout " + key),
                    views.page(key, caller.get(), null, errors))).build();
        } catch (ServiceException e) {
            return Response.status(status(e)).entity(Templates.message(layout("Not found"), "Not found", e.getMessage())).build();
        }
    }

    Layout layout(String title) {
        return ConsoleLayouts.of(title, caller, session);
    }

    private static Response toRollout(String key) {
        URI page = UriBuilder.fromPath("/ui/rollouts/{key}").build(key);
        return Response.seeOther(page).build();
    }

    /** Canary sessions as typed: one per line, or separated by commas or spaces. */
    static List<String> sessionList(String text) {
        return Arrays.stream(text.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).distinct()
                .collect(Collectors.toList());
    }

    private static Long parseVersion(String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(version.trim());
        } catch (NumberFormatException e) {
            throw ServiceException.invalid("version", "the version the page was showing, a whole number");
        }
    }

    static int status(ServiceException e) {
        return switch (e.kind()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PRECONDITION_FAILED -> 412;
            case PRECONDITION_REQUIRED -> 428;
            case UNAVAILABLE -> 503;
        };
    }

    static List<FieldProblem> problems(ServiceException e) {
        return problems(e, "summary");
    }

    /**
     * The field errors, each pointing at the form field it names (plan.steps[0].name points at the plan
     * field); a refusal without fields points at {@code field}.
     */
    static List<FieldProblem> problems(ServiceException e, String field) {
        if (e.errors().isEmpty()) {
            String detail = e.getMessage();
            if (e.kind() == ServiceException.Kind.PRECONDITION_FAILED) {
                detail += ". The rollout changed while you were looking; the page now shows its current state.";
            }
            return List.of(new FieldProblem(field, detail));
        }
        return e.errors().stream().map(ConsoleResource::problem).toList();
    }

    private static FieldProblem problem(FieldError error) {
        String field = error.field();
        int end = field.length();
        for (char separator : new char[]{'.', '['}) {
            int at = field.indexOf(separator);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        String formField = field.substring(0, end);
        return new FieldProblem(formField, formField.equals(field) ? error.message() : field + ": " + error.message());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
