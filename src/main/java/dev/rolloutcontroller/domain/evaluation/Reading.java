package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.MetricCondition;
import java.time.Duration;

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
 * @param source       where a relative limit's reference came from ({@code legacy}, {@code captured baseline}...); null
 *                     for an absolute threshold or a missing reference
 * @param missing      null when the condition can be judged, else why not (a sentence fragment)
 * @param missingShort the same, in a few words for a reason line
 * @param stretchOf    the condition's whole window when this reading is over one of its newest stretches
 *                     ({@link NewestStretches}, judged on the 99% bound), else null
 */
record Reading(
        MetricCondition condition,
        StatKey key,
        Observation observation,
        long required,
        double limit,
        String limitText,
        String source,
        String missing,
        String missingShort,
        Duration stretchOf) {

    static final String LEGACY = "legacy";
    static final String BASELINE = "baseline";
    private static final String LEGACY_SOURCE = "legacy";
    private static final String LEGACY_BASELINE_SOURCE = "baseline (legacy)";

    static Reading of(MetricCondition condition, boolean boundedByStep, EvaluationInput input) {
        StatKey key = StatKey.of(condition, boundedByStep);
        long required = Math.max(condition.minSamples(), 1);
        if (condition.threshold() != null) {
            return read(condition, key, input, required, condition.threshold(), null, null, null);
        }
        String metric = condition.metric();
        Observation legacy = input.stat(key.onPath(LEGACY));
        Double captured = input.capturedBaseline().get(key.metricKey());
        boolean legacyUsable = legacy.samples() >= required && Double.isFinite(point(metric, legacy));
        if (legacyUsable && (LEGACY.equals(condition.relativeTo()) || BASELINE.equals(condition.relativeTo()))) {
            return read(condition, key, input, required, point(metric, legacy),
                    LEGACY.equals(condition.relativeTo()) ? LEGACY_SOURCE : LEGACY_BASELINE_SOURCE, null, null);
        }
        if (BASELINE.equals(condition.relativeTo()) && captured != null && Double.isFinite(captured)) {
            return read(condition, key, input, required, captured, "captured baseline", null, null);
        }
        String legacyText = "legacy path has " + Format.count(legacy.samples()) + " of " + Format.count(required) + " "
                + Format.unit(metric);
        String missing = BASELINE.equals(condition.relativeTo())
                ? "no baseline yet (" + legacyText + " and none was captured)"
                : LEGACY.equals(condition.relativeTo()) ? "no legacy reference yet (" + legacyText + ")"
                : "unknown reference " + condition.relativeTo();
        return read(condition, key, input, required, Double.NaN, null, missing, "no " + condition.relativeTo());
    }

    /**
     * A trigger's condition relative to baseline read against the new path's own figure in the hour before the
     * trigger's window at the current step ({@link OwnHistory}), with the same minimum sample as the window.
     */
    static Reading againstOwnHistory(MetricCondition condition, EvaluationInput input) {
        long required = Math.max(condition.minSamples(), 1);
        Observation reference = OwnHistory.reference(condition, input);
        double base = point(condition.metric(), reference);
        if (reference.samples() < required || !Double.isFinite(base)) {
            String missing = "no own history yet (the hour before the window at " + input.rollout().currentStep().name() + " has "
                    + Format.count(reference.samples()) + " of " + Format.count(required) + " " + Format.unit(condition.metric()) + ")";
            return read(condition, StatKey.of(condition, false), input, required, Double.NaN, null, missing, "no own history");
        }
        return read(condition, StatKey.of(condition, false), input, required, base, OwnHistory.SOURCE, null, null);
    }

    /**
     * The reading of {@code key}'s observation against {@code base} (the threshold when {@code source} is null, else the
     * referenced figure, NaN with {@code missing} when there is none).
     */
    private static Reading read(MetricCondition condition, StatKey key, EvaluationInput input, long required, double base,
            String source, String missing, String missingShort) {
        Observation observation = input.stat(key);
        String metric = condition.metric();
        double limit = Double.NaN;
        String limitText = null;
        if (missing == null) {
            limit = condition.limit(base);
            if (source == null) {
                limitText = Format.value(metric, limit);
            } else {
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
        String[] shortfall = sampleShortfall(metric, observation, required);
        if (shortfall != null) {
            missing = shortfall[0];
            missingShort = shortfall[1];
        } else if (missing == null && !Double.isFinite(point(metric, observation))) {
            missing = "no usable value";
            missingShort = "no value";
        }
        return new Reading(condition, key, observation, required, limit, limitText, source, missing, missingShort, null);
    }

    /**
     * This reading's limit against the observation of one of the newest stretches of its window
     * ({@link NewestStretches}, rates only, whose point exists whenever a sample does); call it on a judgeable
     * reading, whose reference the stretch shares.
     */
    Reading over(StatKey stretch, EvaluationInput input) {
        Observation part = input.stat(stretch);
        String[] shortfall = sampleShortfall(condition.metric(), part, required);
        return new Reading(condition, stretch, part, required, limit, limitText, source,
                shortfall == null ? null : shortfall[0], shortfall == null ? null : shortfall[1], condition.window());
    }

    /** Why an observation has too few samples to be judged, in a sentence fragment and in a few words; null when it has enough. */
    private static String[] sampleShortfall(String metric, Observation observation, long required) {
        String unit = Format.unit(metric);
        if (observation.samples() == 0 && observation.unavailable() != null) {
            return new String[] {"no data: " + observation.unavailable(), "no data"};
        }
        if (observation.samples() < required) {
            return observation.samples() == 0
                    ? new String[] {"no data yet (needs " + Format.count(required) + " " + unit + ")", "no data"}
                    : new String[] {"only " + Format.count(observation.samples()) + " of " + Format.count(required) + " " + unit,
                            Format.count(observation.samples()) + " of " + Format.count(required) + " " + unit};
        }
        return null;
    }

    /** The point estimate: {@code events / samples} for rates, the value otherwise. */
    static double point(String metric, Observation observation) {
        if (Format.isRate(metric)) {
            return observation.samples() == 0 ? Double.NaN : (double) observation.events() / observation.samples();
        }
        return observation.value();
    }

    /** Whether the limit was taken from the legacy path (directly, or as the baseline while legacy reports enough). */
    boolean fromLegacy() {
        return LEGACY_SOURCE.equals(source) || LEGACY_BASELINE_SOURCE.equals(source);
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
        return Wilson.lower(observation.events(), observation.samples(), z());
    }

    double upper() {
        return Wilson.upper(observation.events(), observation.samples(), z());
    }

    private double z() {
        return stretchOf == null ? Wilson.Z : Wilson.Z99;
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
                    + Format.count(observation.samples()) + " " + unit + stretchText();
            if (bound != null) {
                double value = bound.equals("lower") ? lower() : upper();
                text += ", " + bound + (stretchOf == null ? " 95%" : " 99%") + " bound " + Format.percent(value);
            }
            return text + ")";
        }
        String text = Format.value(metric, point());
        return unit.equals("samples") ? text : text + " over " + Format.count(observation.samples()) + " " + unit;
    }

    /** {@code  in the newest 7s of the 30s window} for a stretch, else empty. */
    private String stretchText() {
        return stretchOf == null ? "" : " in the newest " + Format.duration(key.window()) + " of the " + Format.duration(stretchOf) + " window";
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
