package dev.rolloutcontroller.domain.evaluation;

/**
 * A measured aggregate.
 *
 * @param value   the aggregate; NaN when {@code samples == 0}. For the rates ({@code error_rate},
 *                {@code shadow_mismatch_rate}) the engine judges {@code events / samples}, so keep the two consistent
 *                (use {@link #rate}).
 * @param samples the sample size: cycles for {@code error_rate} and cycle times, comparisons for
 *                {@code shadow_mismatch_rate}, reports for memory and CPU, sessions for {@code memory_growth} and
 *                {@code sessions_reporting}, 1 for {@code support_tickets} (a count is always known), checks with a
 *                result for {@code smoke_failures}
 * @param events  the numerator of a rate (errors, mismatches), else 0
 * @param unavailable why there is nothing to judge when the source could not answer (a Prometheus query that
 *                failed, timed out or returned no or several series), for the journal; else null
 */
public record Observation(double value, long samples, long events, String unavailable) {

    public Observation(double value, long samples, long events) {
        this(value, samples, events, null);
    }

    /** Nothing measured. */
    public static final Observation EMPTY = new Observation(Double.NaN, 0, 0);

    public Observation {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be 0 or more (got " + samples + ")");
        }
        if (events < 0 || events > samples) {
            throw new IllegalArgumentException("events must be within 0.." + samples + " (got " + events + ")");
        }
    }

    /** Nothing to judge, and why (said in the gate's or trigger's detail). */
    public static Observation unavailable(String why) {
        return new Observation(Double.NaN, 0, 0, why);
    }

    /** A rate: {@code events} out of {@code trials}; empty when there were no trials. */
    public static Observation rate(long events, long trials) {
        return trials == 0 ? EMPTY : new Observation((double) events / trials, trials, events);
    }

    /** A plain aggregate over {@code samples} samples; empty when there were none. */
    public static Observation of(double value, long samples) {
        return samples == 0 ? EMPTY : new Observation(value, samples, 0);
    }

    /** A count that is always known, such as support tickets: one sample. */
    public static Observation count(long count) {
        return new Observation(count, 1, 0);
    }
}
