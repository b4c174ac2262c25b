package dev.rolloutcontroller.service;

import dev.rolloutcontroller.domain.FieldError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refusal the caller can act on. The kind decides the HTTP status in one place
 * ({@code api.ProblemMapping}); the message is safe to show.
 */
public class ServiceException extends RuntimeException {

    public enum Kind { INVALID, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, PRECONDITION_FAILED, PRECONDITION_REQUIRED, UNAVAILABLE }

    private final Kind kind;
    private final List<FieldError> errors;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public ServiceException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public ServiceException(Kind kind, String message, List<FieldError> errors) {
        super(message, null, false, false);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public static ServiceException invalid(List<FieldError> errors) {
        return new ServiceException(Kind.INVALID, "the request has " + errors.size() + " invalid field(s)", errors);
    }

    public static ServiceException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ServiceException notFound(String what) {
        return new ServiceException(Kind.NOT_FOUND, what + " does not exist");
    }

    /** Extra members of the problem document, e.g. the current status and the allowed actions. */
    public ServiceException with(String name, Object value) {
        details.put(name, value);
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> details() {
        return details;
    }
}
