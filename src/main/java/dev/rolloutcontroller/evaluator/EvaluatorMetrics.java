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
 * monitoring/RolloutAnalysisMetrics, and the actions themselves, the operators' too, are counted
 * where they are applied ({@code service.ActionMetrics}). Tags have few values (an action, a
 * metric name); never a session id.
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
        for (TriggerResult trigger : decision.triggers()) {
            if (trigger.breached()) {
                registry.counter("rollout.trigger.breaches", Tags.of("metric", trigger.metric())).increment();
            }
        }
    }

    /** A whole pass over the live rollouts. */
    void recordPass(Duration took) {
        registry.timer("rollout.evaluator.pass.duration").record(took);
    }

    /** A pass that could not apply its decision (journaled, retried next pass), by the decided action. */
    void recordFailure(EngineAction decided) {
        registry.counter("rollout.evaluator.failures", Tags.of("action", decided.name().toLowerCase(Locale.ROOT))).increment();
    }

}
