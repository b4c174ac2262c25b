package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.evaluator.EvaluatorLease.LeaseState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * Says whether this replica leads the evaluator, with the lease's epoch and expiry, in
 * {@code /q/health/ready} and in metrics. Always UP: a follower is as ready to serve as the leader.
 */
@Readiness
@Startup
@ApplicationScoped
public class EvaluatorLeaseStatus implements HealthCheck {

    static final String CHECK_NAME = "evaluator-lease";

    private final EvaluatorLease lease;
    private final MeterRegistry registry;
    private final List<Meter> gauges;

    EvaluatorLeaseStatus(EvaluatorLease lease, MeterRegistry registry) {
        this.lease = lease;
        this.registry = registry;
        this.gauges = List.of(
                Gauge.builder("rollout.evaluator.leader", lease, l -> l.state().leading() ? 1 : 0)
                        .description("1 while this replica holds the evaluator lease").register(registry),
                Gauge.builder("rollout.evaluator.lease.epoch", lease, l -> l.state().epoch())
                        .description("the evaluator lease epoch (fencing token) this replica last saw").register(registry),
                Gauge.builder("rollout.evaluator.lease.expiry", lease,
                                l -> l.state().expiresAt() == null ? 0 : l.state().expiresAt().toEpochMilli() / 1000.0)
                        .baseUnit("seconds")
                        .description("when the lease this replica last saw expires, by the database clock (Unix time)")
                        .register(registry));
    }

    /**
     * The gauges read the lease through its CDI proxy, which dies with the application; the global
     * registry outlives it (tests start several applications in one JVM), so they go with the bean.
     */
    @PreDestroy
    void removeGauges() {
        gauges.forEach(registry::remove);
    }

    @Override
    public HealthCheckResponse call() {
        LeaseState state = lease.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(CHECK_NAME).up()
                .withData("replica", state.replica())
                .withData("leader", state.leading())
                .withData("epoch", state.epoch());
        if (state.holder() != null) {
            response.withData("holder", state.holder());
        }
        if (state.expiresAt() != null) {
            response.withData("expiresAt", state.expiresAt().toString());
        }
        return response.build();
    }
}
