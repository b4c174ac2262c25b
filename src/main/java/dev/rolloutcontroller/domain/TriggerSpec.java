package dev.rolloutcontroller.domain;

/** Wire form of a {@link Trigger}; see {@link GateSpec} for why everything is boxed and textual. */
public record TriggerSpec(
        String metric,
        String category,
        String path,
        String op,
        Double threshold,
        String relativeTo,
        Double factor,
        Double offset,
        Long minSamples,
        Integer consecutive,
        String window,
        String action,
        String description,
        String source,
        String query) {

    /** A trigger on a metric of the daemons' reports (no {@code source}, no {@code query}). */
    public TriggerSpec(String metric, String category, String path, String op, Double threshold, String relativeTo,
                       Double factor, Double offset, Long minSamples, Integer consecutive, String window, String action,
                       String description) {
        this(metric, category, path, op, threshold, relativeTo, factor, offset, minSamples, consecutive, window, action,
                description, null, null);
    }
}
