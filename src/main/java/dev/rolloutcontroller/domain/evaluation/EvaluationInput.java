package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one evaluation pass knows. Null maps are read as empty.
 *
 * @param stats            the statistics of {@link RolloutEngine#requiredStats}; a missing key reads as
 *                         {@link Observation#EMPTY}, which is never a pass
 * @param signOffs         step name → roles that signed off that step
 * @param latestSmoke      check → its latest result since the step was entered (older results are ignored anyway)
 * @param capturedBaseline metric key ({@code metric}, or {@code metric:category}) → the value captured when the
 *                         rollout left its previous step (see {@link RolloutEngine#baselineFrom}) or set by an operator
 * @param previousStreaks  trigger index → consecutive breaches so far (the previous decision's
 *                         {@link Decision#streaks()})
 * @param watchPeriod      how long triggers stay watched after COMPLETED; null means {@link #DEFAULT_WATCH_PERIOD}
 */
public record EvaluationInput(
        Rollout rollout,
        Instant now,
        Map<StatKey, Observation> stats,
        Map<String, Set<String>> signOffs,
        Map<String, SmokeResult> latestSmoke,
        Map<String, Double> capturedBaseline,
        Map<Integer, Integer> previousStreaks,
        Duration watchPeriod) {

    public static final Duration DEFAULT_WATCH_PERIOD = Duration.ofHours(24);

    public EvaluationInput {
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(now, "now");
        stats = stats == null ? Map.of() : Map.copyOf(stats);
        signOffs = signOffs == null ? Map.of() : Map.copyOf(signOffs);
        latestSmoke = latestSmoke == null ? Map.of() : Map.copyOf(latestSmoke);
        capturedBaseline = capturedBaseline == null ? Map.of() : Map.copyOf(capturedBaseline);
        previousStreaks = previousStreaks == null ? Map.of() : Map.copyOf(previousStreaks);
        watchPeriod = watchPeriod == null ? DEFAULT_WATCH_PERIOD : watchPeriod;
    }

    /** The observation of a key, {@link Observation#EMPTY} when it was not measured. */
    Observation stat(StatKey key) {
        return stats.getOrDefault(key, Observation.EMPTY);
    }
}
