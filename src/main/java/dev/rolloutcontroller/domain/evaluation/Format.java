package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.Metric;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** How figures read in details and reasons: in the metric's own unit, locale-independent. */
final class Format {

    private static final double KIB = 1024;
    private static final double MIB = KIB * 1024;
    private static final double GIB = MIB * 1024;

    private Format() {
    }

    static boolean isRate(String metric) {
        return Metric.fromWireName(metric).map(Metric::rate).orElse(false);
    }

    /** {@code error_rate}, or {@code shadow_mismatch_rate (idle)}. */
    static String name(String metric, String category) {
        if (metric.equals(Metric.PROMETHEUS.wireName())) {
            return "prometheus query";
        }
        return category == null ? metric : metric + " (" + category + ")";
    }

    /** {@code new-path error_rate}; path-less metrics go without the path. */
    static String subject(String metric, String category, String path) {
        return Metric.fromWireName(metric).map(Metric::pathless).orElse(false) ? name(metric, category) : path + "-path " + name(metric, category);
    }

    /** What one sample of the metric is. */
    static String unit(String metric) {
        return Metric.fromWireName(metric).map(Metric::sampleUnit).orElse("samples");
    }

    static String value(String metric, double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return switch (Metric.fromWireName(metric).orElse(Metric.CYCLES)) {
            case ERROR_RATE, SHADOW_MISMATCH_RATE -> percent(value);
            case CYCLE_TIME_P95_MS, CYCLE_TIME_MAX_MS -> String.format(Locale.ROOT, "%.1f ms", value);
            case MEMORY_BYTES -> bytes(value);
            case MEMORY_GROWTH -> String.format(Locale.ROOT, "%.2f×", value);
            case CPU_PERCENT -> String.format(Locale.ROOT, "%.1f%%", value);
            case SESSIONS_REPORTING, CYCLES, SUPPORT_TICKETS, SMOKE_FAILURES, PROMETHEUS -> number(value);
        };
    }

    /** The comparison as read by people: {@code < ≤ > ≥ =}. */
    static String op(Comparison op) {
        return switch (op) {
            case LT -> "<";
            case LE -> "≤";
            case GT -> ">";
            case GE -> "≥";
            case EQ -> "=";
        };
    }

    /** An offset added to a limit: percentage points for rates. */
    static String offset(String metric, double offset) {
        return isRate(metric) ? String.format(Locale.ROOT, "%.2f pp", offset * 100) : value(metric, offset);
    }

    /** A rate as a percentage, with two decimals; a non-zero rate never reads as 0.00%. */
    static String percent(double rate) {
        double percent = rate * 100;
        if (percent > 0 && percent < 0.005) {
            return "<0.01%";
        }
        return String.format(Locale.ROOT, "%.2f%%", percent);
    }

    static String bytes(double bytes) {
        if (Math.abs(bytes) >= GIB) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / GIB);
        }
        if (Math.abs(bytes) >= MIB) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
        }
        return String.format(Locale.ROOT, "%.0f B", bytes);
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** A factor without noise: 1.1, 1.5, 2. */
    static String factor(double factor) {
        return BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString();
    }

    /** {@code 45s}, {@code 12m}, {@code 1h12m}, {@code 4h}, {@code 2d3h}; negative reads as 0s. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append('d');
        }
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0 && days == 0) {
            text.append(minutes).append('m');
        }
        return text.toString();
    }

    static String plural(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }

    /**
     * At most {@code max} characters: longer text keeps its start and ends with an ellipsis. Reasons
     * the service writes itself are built from such parts, so they stay bounded whatever a plan says.
     */
    static String clip(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** NaN and infinities become null, so results stay valid JSON. */
    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
