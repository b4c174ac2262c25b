package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.persistence.RolloutEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The evaluator's heartbeat: every {@code rollout.evaluator.interval}, the replica holding the
 * evaluator lease evaluates each live rollout, each in its own transaction (fenced by the lease's
 * epoch) so one failing rollout never blocks the others.
 */
@ApplicationScoped
public class EvaluatorTick {

    private static final Logger LOG = Logger.getLogger(EvaluatorTick.class);

    private final EvaluatorLease lease;
    private final RolloutEvaluator evaluator;
    private final RolloutConfig config;

    EvaluatorTick(EvaluatorLease lease, RolloutEvaluator evaluator, RolloutConfig config) {
        this.lease = lease;
        this.evaluator = evaluator;
        this.config = config;
    }

    @Scheduled(every = "${rollout.evaluator.interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (config.evaluator().enabled()) {
            lease.takeOrRenew();
            lease.leadingEpoch().ifPresent(epoch -> runOnce(epoch));
        }
    }

    /** Evaluates every live rollout once, unfenced (tests); returns how many were evaluated. */
    public int runOnce() {
        return runOnce(null);
    }

    /** One pass; with a lease epoch, every decision is fenced by it and the pass stops once it is refused. */
    int runOnce(Long leaseEpoch) {
        List<String> keys;
        try {
            keys = QuarkusTransaction.requiringNew().call(() -> RolloutEntity.<RolloutEntity>list("status in ?1",
                    List.of(RolloutStatus.ACTIVE, RolloutStatus.PAUSED, RolloutStatus.COMPLETED)).stream().map(r -> r.key).toList());
        } catch (RuntimeException e) {
            LOG.warnf("evaluation skipped: cannot list rollouts (%s)", e.getMessage());
            return 0;
        }
        int evaluated = 0;
        for (String key : keys) {
            try {
                if (evaluator.evaluate(key, leaseEpoch).isPresent()) {
                    evaluated++;
                }
            } catch (EvaluatorLease.LeadershipLostException e) {
                lease.lost(leaseEpoch, e.getMessage());
                return evaluated;
            } catch (RuntimeException e) {
                LOG.errorf(e, "evaluating rollout %s failed; the others go on", key);
            }
        }
        return evaluated;
    }
}
