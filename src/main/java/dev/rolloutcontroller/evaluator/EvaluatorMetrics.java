package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.EngineAction;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.service.RolloutChanged;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The evaluator's metrics. Tags have few values: an action, a metric name, a rollout key (rollouts
 * are few); never a session id. The actions themselves, the operators' too, are counted where they
 * are applied ({@code service.ActionMetrics}).
 */
@ApplicationScoped
public class EvaluatorMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> percentages = new ConcurrentHashMap<>();

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

    /** Keeps rollout.percentage{rollout} at the committed value, whoever changed it. */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RolloutChanged changed) {
        setPercentage(changed.rollout().key(), changed.rollout().percentage());
    }

    /** Rollouts that do not change after a restart still have their gauge. */
    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().call(() -> RolloutEntity.<RolloutEntity>listAll())
                .forEach(row -> setPercentage(row.key, RolloutMapping.toDomain(row).percentage()));
    }

    private void setPercentage(String rollout, int percentage) {
        percentages.computeIfAbsent(rollout, key -> registry.gauge("rollout.percentage",
                Tags.of("rollout", key), new AtomicInteger())).set(percentage);
    }
}
