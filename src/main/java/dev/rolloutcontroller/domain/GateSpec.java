package dev.rolloutcontroller.domain;

import java.util.List;

/**
 * Wire form of a {@link Gate}: one flat object whose {@code kind} says which of the other fields
 * apply. Everything is boxed and textual so a JSON binder can map any input onto it and
 * {@link PlanSpecs} can report each mistake by field. A metric gate reads the daemons' reports, or with
 * {@code source: "prometheus"} the single sample of a PromQL {@code query}.
 */
public record GateSpec(
        String kind,
        String description,
        String role,
        String metric,
        String category,
        String path,
        String op,
        Double threshold,
        String relativeTo,
        Double factor,
        Double offset,
        Long minSamples,
        String window,
        List<String> checks,
        String condition,
        String source,
        String query) {

    /** A gate whose metric comes from the daemons' reports (no {@code source}, no {@code query}). */
    public GateSpec(String kind, String description, String role, String metric, String category, String path, String op,
                    Double threshold, String relativeTo, Double factor, Double offset, Long minSamples, String window,
                    List<String> checks, String condition) {
        this(kind, description, role, metric, category, path, op, threshold, relativeTo, factor, offset, minSamples, window,
                checks, condition, null, null);
    }
}
