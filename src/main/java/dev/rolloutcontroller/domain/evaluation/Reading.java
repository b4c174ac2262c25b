package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.MetricCondition;

/**
 * A metric condition read against one evaluation's statistics: the observation, whether there is enough of it,
 * and the limit it is compared with.
 *
 * <p>Not enough data is never judged: the observation needs {@code max(minSamples, 1)} samples, and a relative
 * limit needs its reference. For {@code relativeTo: legacy} that is the legacy path's figure of the same statistic
 * with the same minimum sample; for {@code relativeTo: baseline} it is the same legacy figure while legacy sessions
 * still report enough, else the captured baseline of the metric.
 *
 * @param limit        NaN when the reference is missing
 * @param missing      null when the condition can be judged, else why not (a sentence fragment)
 * @param missingShort the same, in a few words for a reason line
 */
record Reading(
        MetricCondition condition,
        StatKey key,
        Observation observation,
        long required,
        double limit,
        String limitText,
        String missing,
        String missingShort) {

    static final String LEGACY = "legacy";
    static final String BASELINE = "baseline";

    static Reading of(MetricCondition condition, boolean boundedByStep, EvaluationInput input) {
        StatKey key = StatKey.of(condition, boundedByStep);
        Observation observation = input.stat(key);
        long required = Math.max(condition.minSamples(), 1);
        String metric = condition.metric();
        String unit = Format.unit(metric);

        double limit = Double.NaN;
        String limitText = null;
        String missing = null;
        String missingShort = null;
        if (condition.threshold() != null) {
            limit = condition.limit(condition.threshold());
            limitText = Format.value(metric, limit);
        } else {
            Observation legacy = input.stat(key.onPath(LEGACY));
            Double captured = input.capturedBaseline().get(key.metricKey());
            boolean legacyUsable = legacy.samples() >= required && Double.isFinite(point(metric, legacy));
            String source = null;
            double base = Double.NaN;
            if (legacyUsable && (LEGACY.equals(condition.relativeTo()) || BASELINE.equals(condition.relativeTo()))) {
                base = point(metric, legacy);
                source = LEGACY.equals(condition.relativeTo()) ? "legacy" : "baseline (legacy)";
            } else if (BASELINE.equals(condition.relativeTo()) && captured != null && Double.isFinite(captured)) {
                base = captured;
                source = "captured baseline";
            }
            if (source == null) {
                String legacyText = "legacy path has " + Format.count(legacy.samples()) + " of " + Format.count(required) + " " + unit;
                missing = BASELINE.equals(condition.relativeTo())
                        ? "no baseline yet (" + legacyText + " and none was captured)"
                        : LEGACY.equals(condition.relativeTo()) ? "no legacy reference yet (" + legacyText + ")"
                        : "unknown reference " + condition.relativeTo();
                missingShort = "no " + condition.relativeTo();
            } else {
                limit = condition.limit(base);
                StringBuilder text = new StringBuilder(Format.value(metric, limit)).append(" (");
                if (condition.factor() != 1) {
                    text.append(Format.factor(condition.factor())).append(" × ");
                }
                text.append(source).append(' ').append(Format.value(metric, base));
                if (condition.offset() != 0) {
                    text.append(" + ").append(Format.offset(metric, condition.offset()));
                }
                limitText = text.append(')').toString();
            }
        }

        // Too few samples outranks a missing reference: it is the first thing an operator can wait for.
        if (observation.samples() == 0 && observation.unavailable() != null) {
            missing = "no data: " + observation.unavailable();
            missingShort = "no data";
        } else if (observation.samples() < required) {
            missing = observation.samples() == 0
                    ? "no data yet (needs " + Format.count(required) + " " + unit + ")"
                    : "only " + Format.count(observation.samples()) + " of " + Format.count(required) + " " + unit;
            missingShort = observation.samples() == 0
                    ? "no data"
                    : Format.count(observation.samples()) + " of " + Format.count(required) + " " + unit;
        } else if (missing == null && !Double.isFinite(point(metric, observation))) {
            missing = "no usable value";
            missingShort = "no value";
        }
        return new Reading(condition, key, observation, required, limit, limitText, missing, missingShort);
    }

    /** The point estimate: {@code events / samples} for rates, the value otherwise. */
    static double point(String metric, Observation observation) {
        if (Format.isRate(metric)) {
            return observation.samples() == 0 ? Double.NaN : (double) observation.events() / observation.samples();
        }
        return observation.value();
    }

    boolean judgeable() {
        return missing == null;
    }

    boolean rate() {
        return Format.isRate(condition.metric());
    }

    Comparison op() {
        return condition.op();
    }

    double point() {
        return point(condition.metric(), observation);
    }

    double lower() {
        return Wilson.lower(observation.events(), observation.samples());
    }

    double upper() {
        return Wilson.upper(observation.events(), observation.samples());
    }

    String subject() {
        return Format.subject(condition.metric(), condition.category(), condition.path());
    }

    String name() {
        return Format.name(condition.metric(), condition.category());
    }

    /** {@code ≤ 110.0 ms (1.1 × baseline (legacy) 100.0 ms)}, or empty when the limit is unknown. */
    String needs() {
        return limitText == null ? "" : Format.op(op()) + " " + limitText;
    }

    /**
     * What was seen: {@code 6.20% (620 of 10,000 cycles, lower 95% bound 5.74%)}, {@code 812.0 MiB over 40 reports}.
     *
     * @param bound "lower", "upper" or null: which Wilson bound of a rate to show
     */
    String seen(String bound) {
        String metric = condition.metric();
        String unit = Format.unit(metric);
        if (rate()) {
            String text = Format.percent(point()) + " (" + Format.count(observation.events()) + " of "
                    + Format.count(observation.samples()) + " " + unit;
            if (bound != null) {
                double value = bound.equals("lower") ? lower() : upper();
                text += ", " + bound + " 95% bound " + Format.percent(value);
            }
            return text + ")";
        }
        String text = Format.value(metric, point());
        return unit.equals("samples") ? text : text + " over " + Format.count(observation.samples()) + " " + unit;
    }

    /** The bound that a rate is judged on for this comparison when the evidence must exceed the limit. */
    String boundFor() {
        return switch (op()) {
            case LT, LE -> "upper";
            case GT, GE -> "lower";
            case EQ -> null;
        };
    }

    Double observed() {
        return observation.samples() == 0 ? null : Format.finite(point());
    }

    Double threshold() {
        return Format.finite(limit);
    }

    Long samples() {
        return observation.samples();
    }
}
