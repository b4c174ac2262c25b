package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.EngineAction;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;

/**
 * The evaluator's own metrics; each rollout's analysis, its percentage included, is
 * monitoring/RolloutAnalysisMetrics. Tags have few values (an action, a metric name); never a session id.
 */
@ApplicationScoped
public class EvaluatorMetrics {

    private final MeterRegistry registry;

    EvaluatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void recordEvaluation(Decision decision, Duration took) {
        registry.counter("rollout.evaluations").increment();
        registry.timer("rollout.evaluation.duration").record(took);
        if (decision.action() != EngineAction.NONE) {
            registry.counter("rollout.actions", Tags.of("action", decision.action().name().toLowerCase(Locale.ROOT))).increment();
        }
        for (TriggerResult trigger : decision.triggers()) {
            if (trigger.breached()) {
                registry.counter("rollout.trigger.breaches", Tags.of("metric", trigger.metric())).increment();
            }
        }
    }
}
