package dev.rolloutcontroller.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes figures, durations and times: in the metric's own unit, UTC, locale-independent. */
final class Figures {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Figures() {
    }

    static String value(String metric, Double value) {
        if (value == null || value.isNaN()) {
            return "";
        }
        return switch (metric) {
            case "error_rate", "shadow_mismatch_rate" -> percent(value);
            case "cycle_time_p95_ms", "cycle_time_max_ms" -> String.format(Locale.ROOT, "%.1f ms", value);
            case "memory_bytes" -> bytes(value);
            case "memory_growth" -> String.format(Locale.ROOT, "%.2f×", value);
            case "cpu_percent" -> String.format(Locale.ROOT, "%.1f%%", value);
            case "soak" -> duration(Duration.ofSeconds(value.longValue()));
            default -> number(value);
        };
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.3f%%", fraction * 100);
    }

    static String bytes(double bytes) {
        double mib = bytes / (1024 * 1024);
        return mib >= 1024 ? String.format(Locale.ROOT, "%.2f GiB", mib / 1024) : String.format(Locale.ROOT, "%.0f MiB", mib);
    }

    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** "3 h 20 min", "45 s". */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        if (hours > 0) {
            return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
        }
        return minutes > 0 ? minutes + " min" : seconds + " s";
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** For datetime attributes of time elements. */
    static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
