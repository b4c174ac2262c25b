package dev.rolloutcontroller.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * {@code rollout.actions{action, actor}}: every committed action, {@code actor} being {@code evaluator} or
 * {@code operator} (two values, so the series stay few; the audit log names the person).
 */
@ApplicationScoped
public class ActionMetrics {

    public static final String EVALUATOR = "evaluator";
    public static final String OPERATOR = "operator";

    private final MeterRegistry registry;

    ActionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void onActed(@Observes(during = TransactionPhase.AFTER_SUCCESS) RolloutActed acted) {
        registry.counter("rollout.actions",
                Tags.of("action", acted.action(), "actor", acted.automatic() ? EVALUATOR : OPERATOR)).increment();
    }
}
