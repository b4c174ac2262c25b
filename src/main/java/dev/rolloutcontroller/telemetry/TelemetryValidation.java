package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.service.ServiceException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Field-by-field checks of telemetry input; collects every error, then refuses the whole request. */
final class TelemetryValidation {

    static final int MAX_BATCH = 1000;
    static final Duration MAX_PERIOD = Duration.ofHours(1);
    static final List<String> SIGNAL_TYPES = List.of("support-ticket", "note");

    private final List<FieldError> errors = new ArrayList<>();
    private final Instant latestAllowed;
    private final Instant earliestAllowed;

    /** Times older than the retention are refused: their dedup keys may already be gone. */
    TelemetryValidation(Instant now, Duration clockSkew, Duration retention) {
        this.latestAllowed = now.plus(clockSkew);
        this.earliestAllowed = now.minus(retention);
    }

    void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    UUID uuid(String field, String value) {
        if (value == null) {
            error(field, "required: a UUID");
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            error(field, "must be a UUID");
            return null;
        }
    }

    String sessionId(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                error(field, "required");
            }
            return required ? null : "";
        }
        Identifiers.sessionIdProblem(value).ifPresent(problem -> error(field, problem));
        return value;
    }

    String oneOf(String field, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            error(field, (value == null ? "required" : "unknown value '" + value + "'") + ": one of " + allowed);
            return null;
        }
        return value;
    }

    Instant instant(String field, String value) {
        if (value == null) {
            error(field, "required: an ISO-8601 time, e.g. 2026-11-27T10:00:00Z");
            return null;
        }
        try {
            Instant at = Instant.parse(value);
            if (at.isAfter(latestAllowed)) {
                error(field, "is in the future (allowed clock skew is exceeded)");
            } else if (at.isBefore(earliestAllowed)) {
                error(field, "is older than the telemetry retention");
            }
            return at;
        } catch (DateTimeParseException e) {
            error(field, "must be an ISO-8601 time in UTC, e.g. 2026-11-27T10:00:00Z");
            return null;
        }
    }

    /** A report period: end after start, at most an hour long. */
    void period(String prefix, Instant start, Instant end) {
        if (start == null || end == null) {
            return;
        }
        if (!end.isAfter(start)) {
            error(prefix + "periodEnd", "must be after periodStart");
        } else if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
            error(prefix + "periodEnd", "a period is at most 1 hour long");
        }
    }

    long count(String field, Long value, long max) {
        if (value == null) {
            error(field, "required: an integer >= 0");
            return 0;
        }
        if (value < 0 || value > max) {
            error(field, "must be between 0 and " + max);
        }
        return value;
    }

    double measure(String field, Double value, double max) {
        if (value == null) {
            error(field, "required: a number >= 0");
            return 0;
        }
        if (!Double.isFinite(value) || value < 0 || value > max) {
            error(field, "must be a number between 0 and " + (long) max);
        }
        return value;
    }

    String text(String field, String value, int maxLength) {
        if (value == null) {
            return "";
        }
        if (value.length() > maxLength) {
            error(field, "at most " + maxLength + " characters");
        }
        return value;
    }
}
