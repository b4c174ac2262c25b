package dev.rolloutcontroller.domain;

/** One validation problem: the path of the offending field (e.g. {@code plan.steps[1].percentage}) and what to do. */
public record FieldError(String field, String message) {
}
