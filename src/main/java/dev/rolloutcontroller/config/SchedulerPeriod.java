package dev.rolloutcontroller.config;

import java.time.Duration;
import java.util.Locale;

/** A scheduler period as configured ({@code 10s}, {@code 1m} or ISO-8601 {@code PT10S}) as a duration. */
public final class SchedulerPeriod {

    private SchedulerPeriod() {
    }

    /** The period, or {@link Duration#ZERO} when the text is not one. */
    public static Duration parse(String period) {
        String text = period.trim().toUpperCase(Locale.ROOT);
        try {
            return Duration.parse(text.startsWith("P") ? text : "PT" + text);
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }
}
