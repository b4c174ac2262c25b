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
 * The evaluator's heartbeat: every {@code rollout.evaluator.interval}, the leader evaluates each
 * live rollout, each in its own transaction so one failing rollout never blocks the others.
 */
@ApplicationScoped
public class EvaluatorTick {

    private static final Logger LOG = Logger.getLogger(EvaluatorTick.class);

    private final EvaluatorLeadership leadership;
    private final RolloutEvaluator evaluator;
    private final RolloutConfig config;

    EvaluatorTick(EvaluatorLeadership leadership, RolloutEvaluator evaluator, RolloutConfig config) {
        this.leadership = leadership;
        this.evaluator = evaluator;
        this.config = config;
    }

    @Scheduled(every = "${rollout.evaluator.interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (config.evaluator().enabled() && leadership.isLeader()) {
            runOnce();
        }
    }

    /** Evaluates every live rollout once; returns how many were evaluated. */
    public int runOnce() {
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
                if (evaluator.evaluate(key).isPresent()) {
                    evaluated++;
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "evaluating rollout %s failed; the others go on", key);
            }
        }
        return evaluated;
    }
}
