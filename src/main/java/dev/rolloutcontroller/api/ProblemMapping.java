package dev.rolloutcontroller.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The one place where failures become HTTP statuses: every error leaves as application/problem+json,
 * and nothing internal (class names, stack traces, SQL) ever reaches the client.
 */
public class ProblemMapping {

    private static final Logger LOG = Logger.getLogger(ProblemMapping.class);

    /** Seconds a client should wait before retrying a write the database could not take. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Map<ServiceException.Kind, Integer> STATUS = Map.of(
            ServiceException.Kind.INVALID, 400,
            ServiceException.Kind.UNAUTHENTICATED, 401,
            ServiceException.Kind.FORBIDDEN, 403,
            ServiceException.Kind.NOT_FOUND, 404,
            ServiceException.Kind.CONFLICT, 409,
            ServiceException.Kind.PRECONDITION_FAILED, 412,
            ServiceException.Kind.PRECONDITION_REQUIRED, 428,
            ServiceException.Kind.UNAVAILABLE, 503);

    private static final Map<Integer, String[]> SLUG_AND_TITLE = Map.ofEntries(
            Map.entry(400, new String[]{"invalid-request", "The request is invalid"}),
            Map.entry(401, new String[]{"unauthenticated", "A valid API token is required"}),
            Map.entry(403, new String[]{"forbidden", "The token lacks the role this needs"}),
            Map.entry(404, new String[]{"not-found", "Not found"}),
            Map.entry(405, new String[]{"method-not-allowed", "Method not allowed"}),
            Map.entry(406, new String[]{"not-acceptable", "Not acceptable"}),
            Map.entry(409, new String[]{"conflict", "The request conflicts with the current state"}),
            Map.entry(412, new String[]{"precondition-failed", "The resource changed since you read it"}),
            Map.entry(415, new String[]{"unsupported-media-type", "Unsupported media type"}),
            Map.entry(428, new String[]{"precondition-required", "If-Match is required"}),
            Map.entry(500, new String[]{"internal-error", "Internal error"}),
            Map.entry(503, new String[]{"unavailable", "The service cannot store this right now"}));

    public static Problem problem(int status, String detail, String instance) {
        String[] slugAndTitle = SLUG_AND_TITLE.getOrDefault(status, new String[]{"http-" + status, "HTTP " + status});
        return Problem.of(status, slugAndTitle[0], slugAndTitle[1], detail, instance);
    }

    @ServerExceptionMapper
    public Response mapService(ServiceException e, UriInfo uri) {
        int status = STATUS.get(e.kind());
        Problem base = problem(status, e.getMessage(), uri.getPath());
        Problem problem = new Problem(base.type(), base.title(), status, base.detail(), base.instance(), e.errors(), e.details());
        Response.ResponseBuilder response = problem.toResponse();
        if (status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response mapConstraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(leafPath(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(FieldError::field))
                .toList();
        return mapService(ServiceException.invalid(errors), uri);
    }

    /** Named explicitly: Quarkus ships its own mapper for this subtype, which would answer plain JSON. */
    @ServerExceptionMapper
    public Response mapMismatchedJson(MismatchedInputException e, UriInfo uri) {
        return mapUnreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response mapUnreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return mapService(ServiceException.invalid(jsonPath(unknown.getPath()),
                    "unknown member" + (known.isEmpty() ? "" : "; expected one of: " + String.join(", ", known))), uri);
        }
        if (e instanceof ApiJson.FreeTextException text && !text.getPath().isEmpty()) {
            return mapService(ServiceException.invalid(jsonPath(text.getPath()), text.getOriginalMessage()), uri);
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String expected = mismatch.getTargetType() == null ? "another type" : describe(mismatch.getTargetType());
            return mapService(ServiceException.invalid(jsonPath(mismatch.getPath()), "expected " + expected), uri);
        }
        String duplicate = e instanceof JsonParseException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Duplicate field") ? ": a member appears twice" : "";
        String detail = "the body is not valid JSON" + duplicate
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        return problem(400, detail, uri.getPath()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapWebApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return mapUnreadableJson(json, uri);
        }
        if (status >= 500) {
            LOG.error("request failed", e);
            return problem(status, "the request could not be completed", uri.getPath()).toResponse().build();
        }
        Response.ResponseBuilder response = problem(status, safeMessage(status), uri.getPath()).toResponse();
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    /**
     * The database is unreachable (down, restarting, or no connection free in time): nothing was
     * stored, and the same request will work once it is back. Flag reads never get here; they are
     * served from memory.
     */
    @ServerExceptionMapper
    public Response mapPersistence(PersistenceException e, UriInfo uri) {
        return databaseUnavailable(e) ? unavailable(e, uri) : mapUnexpected(e, uri);
    }

    private static Response unavailable(Throwable e, UriInfo uri) {
        LOG.warnf("database unavailable on %s: %s", uri.getPath(), rootMessage(e));
        return problem(503, "the database cannot be reached, so nothing was stored; retry in a few seconds",
                uri.getPath()).toResponse().header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }

    /**
     * Walks the causes for a connection failure: SQLState class 08 or 57P
     * (as the PostgreSQL driver reports a refused, broken or terminated connection), a transient
     * connection exception, or the pool giving up waiting for a connection.
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && (connectionLost(sql.getSQLState()) || sql.getCause() instanceof TimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Class 08 (connection exception) and 57P (the server shutting down or restarting: "terminating
     * connection due to administrator command" is what a pooled connection meets first after a stop).
     */
    private static boolean connectionLost(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response mapUnexpected(Throwable e, UriInfo uri) {
        if (databaseUnavailable(e)) {
            // Wrapped on the way out (a transaction that could not begin or commit, an interceptor).
            return unavailable(e, uri);
        }
        LOG.error("unexpected failure on " + uri.getPath(), e);
        return problem(500, "an unexpected error occurred; it has been logged", uri.getPath()).toResponse().build();
    }

    private static String safeMessage(int status) {
        return switch (status) {
            case 404 -> "no resource at this path";
            case 405 -> "this method is not allowed on this path";
            case 406 -> "none of the accepted media types can be produced";
            case 415 -> "send the body as application/json";
            default -> "the request was refused";
        };
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** "create.request.key" → "key": clients know fields, not Java method parameters. */
    private static String leafPath(String propertyPath) {
        String[] parts = propertyPath.split("\\.");
        return parts.length <= 2 ? parts[parts.length - 1]
                : java.util.Arrays.stream(parts).skip(2).collect(Collectors.joining("."));
    }
}
