package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.Metric;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
            case CYCLE_TIME_P95_MS, CYCLE_TIME_MAX_MS -> fixed(value, 1) + " ms";
            case MEMORY_BYTES -> bytes(value);
            case MEMORY_GROWTH -> fixed(value, 2) + "×";
            case CPU_PERCENT -> fixed(value, 1) + "%";
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
        return isRate(metric) ? fixed(offset * 100, 2) + " pp" : value(metric, offset);
    }

    /** A rate as a percentage, with two decimals; a non-zero rate never reads as 0.00%. */
    static String percent(double rate) {
        double percent = rate * 100;
        if (percent > 0 && percent < 0.005) {
            return "<0.01%";
        }
        return fixed(percent, 2) + "%";
    }

    static String bytes(double bytes) {
        if (Math.abs(bytes) >= GIB) {
            return fixed(bytes / GIB, 2) + " GiB";
        }
        if (Math.abs(bytes) >= MIB) {
            return fixed(bytes / MIB, 1) + " MiB";
        }
        return fixed(bytes, 0) + " B";
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return count((long) value);
        }
        return fixed(value, 3);
    }

    /** {@code 12,345}: digits grouped by three with commas. */
    static String count(long count) {
        String digits = Long.toString(count);
        int sign = count < 0 ? 1 : 0;
        StringBuilder text = new StringBuilder(digits.length() + digits.length() / 3);
        for (int i = 0; i < digits.length(); i++) {
            if (i > sign && (digits.length() - i) % 3 == 0) {
                text.append(',');
            }
            text.append(digits.charAt(i));
        }
        return text.toString();
    }

    /**
     * {@code value} with {@code decimals} decimals, rounded half up, as {@code String.format(Locale.ROOT, "%.Nf")}
     * writes it (which rounds the shortest decimal that reads back as the double, as {@link BigDecimal#valueOf}
     * does), at a fraction of its cost: the engine formats a few dozen figures per pass, and the quality harness
     * runs millions of passes. Non-finite values go through {@code String.format}, which spells them out.
     */
    static String fixed(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        String digits = BigDecimal.valueOf(Math.abs(value)).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        boolean negative = value < 0 || value == 0 && 1 / value < 0;
        return negative ? "-" + digits : digits;
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
