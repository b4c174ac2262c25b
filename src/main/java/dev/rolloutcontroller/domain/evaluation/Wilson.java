package dev.rolloutcontroller.domain.evaluation;

/**
 * The 95% Wilson score interval of a binomial proportion: where the true rate lies, given {@code events} out of
 * {@code trials}. Unlike the normal approximation it stays inside [0, 1] and is honest at 0 events: 0 errors
 * in 100 cycles still allows a true rate of up to 3.7%. See docs/decisions/0004-rate-confidence-wilson.md.
 */
public final class Wilson {

    /** The two-sided 95% normal quantile. */
    public static final double Z = 1.959963984540054;
    /** The two-sided 99% normal quantile, for a rate judged several times over (see {@code NewestStretches}). */
    public static final double Z99 = 2.5758293035489004;

    private Wilson() {
    }

    /** The lower bound; exactly 0 with no events, and 0 with no trials (nothing is known). */
    public static double lower(long events, long trials) {
        return lower(events, trials, Z);
    }

    /** The lower bound of the interval with normal quantile {@code z}. */
    public static double lower(long events, long trials, double z) {
        check(events, trials);
        if (events == 0) {
            return 0;
        }
        return Math.max(0, (centre(events, trials, z) - margin(events, trials, z)) / (1 + z * z / trials));
    }

    /** The upper bound; exactly 1 when every trial was an event, and 1 with no trials (nothing is known). */
    public static double upper(long events, long trials) {
        return upper(events, trials, Z);
    }

    /** The upper bound of the interval with normal quantile {@code z}. */
    public static double upper(long events, long trials, double z) {
        check(events, trials);
        if (events == trials) {
            return 1;
        }
        return Math.min(1, (centre(events, trials, z) + margin(events, trials, z)) / (1 + z * z / trials));
    }

    private static double centre(long events, long trials, double z) {
        return (double) events / trials + z * z / (2.0 * trials);
    }

    private static double margin(long events, long trials, double z) {
        double p = (double) events / trials;
        return z * Math.sqrt(p * (1 - p) / trials + z * z / (4.0 * trials * trials));
    }

    private static void check(long events, long trials) {
        if (trials < 0 || events < 0 || events > trials) {
            throw new IllegalArgumentException("need 0 <= events <= trials (got " + events + " of " + trials + ")");
        }
    }
}
