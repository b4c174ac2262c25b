package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.service.Rollouts;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The time series of a rollout (GET /api/v1/rollouts/{key}/metrics): bounded, validated, with the step changes. */
@ApplicationScoped
public class RolloutMetrics {

    public static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    public static final Duration MAX_RANGE = Duration.ofDays(31);
    public static final Duration MAX_RESOLUTION = Duration.ofDays(1);
    public static final int MAX_POINTS = 10_000;

    /** The events that move a rollout between steps or in or out of the new path. */
    static final Set<String> STEP_EVENTS = Set.of("rollout.started", "rollout.force-started", "rollout.advanced",
            "rollout.force-advanced", "rollout.stepped-back", "rollout.paused", "rollout.resumed", "rollout.rolled-back",
            "rollout.restarted");

    @Schema(description = "A change of step or status: when, to which step and percentage, and the audit event type")
    public record StepChange(Instant at, String step, Integer percentage, String event) {
    }

    @Schema(description = "Per-path series index-aligned with timestamps (null where a bucket has no data), plus the step changes")
    public record Response(String rollout, Instant from, Instant to,
                           @Schema(description = "ISO-8601 duration of one bucket", examples = "PT1M") String resolution,
                           @Schema(description = "Bucket starts, epoch seconds") List<Long> timestamps,
                           @Schema(description = "\"new\" and \"legacy\": sessions (reports per minute; a daemon reports once a "
                                   + "minute), errorRate (errors / cycles), cycleTimeP95Ms (cycle-weighted), memoryBytes (max), "
                                   + "cpuPercent (mean)") Map<String, MetricSeries.PathSeries> paths,
                           List<StepChange> steps) {
    }

    private final MetricSeries series;
    private final Clock clock;

    RolloutMetrics(MetricSeries series, Clock clock) {
        this.series = series;
        this.clock = clock;
    }

    @Transactional
    public Response read(String key, String fromText, String toText, String resolutionText) {
        Rollouts.existing(key);
        List<FieldError> errors = new ArrayList<>();
        Instant to = instant(toText, "to", errors, clock.instant());
        Instant from = instant(fromText, "from", errors, to.minus(DEFAULT_RANGE));
        Duration resolution = resolution(resolutionText, errors);
        if (errors.isEmpty()) {
            if (!from.isBefore(to)) {
                errors.add(new FieldError("from", "must be before 'to'"));
            } else if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
                errors.add(new FieldError("from", "the range may span at most " + MAX_RANGE.toDays() + " days"));
            } else if (Duration.between(from, to).getSeconds() / resolution.getSeconds() > MAX_POINTS) {
                errors.add(new FieldError("resolution", "at most " + MAX_POINTS + " points per series: choose a coarser resolution"));
            }
        }
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
        MetricSeries.Series data = series.read(key, from, to, resolution);
        return new Response(key, from, to, resolution.toString(), data.timestamps(), data.paths(), steps(key, from, to));
    }

    private static List<StepChange> steps(String key, Instant from, Instant to) {
        List<EventEntity> events = EventEntity.list("rolloutKey = ?1 and occurredAt >= ?2 and occurredAt < ?3 and type in ?4 "
                + "order by occurredAt, id", key, from, to, STEP_EVENTS);
        return events.stream().map(e -> new StepChange(e.occurredAt,
                e.after == null ? null : (String) e.after.get("step"),
                e.after == null || e.after.get("percentage") == null ? null : ((Number) e.after.get("percentage")).intValue(),
                e.type)).toList();
    }

    private static Instant instant(String text, String field, List<FieldError> errors, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "an ISO-8601 instant, e.g. 2026-12-01T04:00:00Z"));
            return fallback;
        }
    }

    private static Duration resolution(String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return Duration.ofMinutes(1);
        }
        try {
            Duration resolution = Duration.parse(text.trim());
            if (resolution.getSeconds() % 60 != 0 || resolution.getNano() != 0 || resolution.compareTo(Duration.ofMinutes(1)) < 0
                    || resolution.compareTo(MAX_RESOLUTION) > 0) {
                errors.add(new FieldError("resolution", "whole minutes from PT1M to P1D (the rollups are per minute)"));
            }
            return resolution;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("resolution", "an ISO-8601 duration in whole minutes, e.g. PT1M or PT15M"));
            return Duration.ofMinutes(1);
        }
    }
}
