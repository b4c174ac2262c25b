package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.evaluation.EvaluationInput;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.RolloutEngine;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import dev.rolloutcontroller.persistence.BaselineEntity;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.telemetry.PrometheusQueries;
import dev.rolloutcontroller.telemetry.WindowStats;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the engine judges a rollout on, read now: the window statistics it names (from the
 * daemons' reports, or from Prometheus for conditions with {@code "source": "prometheus"}), sign-offs,
 * the latest smoke results, the baseline, and the trigger streaks of the previous journal entry.
 */
@ApplicationScoped
public class EvaluationInputs {

    private final WindowStats windowStats;
    private final PrometheusQueries prometheus;
    private final SignOffService signOffs;
    private final RolloutConfig config;

    EvaluationInputs(WindowStats windowStats, PrometheusQueries prometheus, SignOffService signOffs, RolloutConfig config) {
        this.windowStats = windowStats;
        this.prometheus = prometheus;
        this.signOffs = signOffs;
        this.config = config;
    }

    EvaluationInput gather(Rollout rollout, Instant now) {
        Set<StatKey> keys = RolloutEngine.requiredStats(rollout);
        Map<StatKey, Observation> stats = new HashMap<>(windowStats.observe(rollout, keys, now));
        stats.putAll(prometheus.observe(rollout, keys, now));
        Map<String, Double> baseline = Optional.ofNullable(BaselineEntity.<BaselineEntity>findById(rollout.key()))
                .map(b -> b.metrics).orElse(Map.of());
        Map<Integer, Integer> streaks = latest(rollout.key()).map(e -> e.streaks).orElse(Map.of());
        return new EvaluationInput(rollout, now, stats, signOffs.activeByStep(rollout.key()),
                windowStats.latestSmoke(rollout.key(), rollout.stepEnteredAt()), baseline, streaks,
                config.evaluator().watchPeriod());
    }

    /** The rollout's newest journal entry. */
    Optional<EvaluationEntity> latest(String key) {
        return EvaluationEntity.find("rolloutKey = ?1 order by id desc", key).firstResultOptional();
    }
}
