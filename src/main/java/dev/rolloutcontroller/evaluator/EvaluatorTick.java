package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.persistence.RolloutEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The evaluator's loop: every {@code rollout.evaluator.interval}, the replica holding the evaluator
 * lease evaluates each live rollout, each in its own transaction (fenced by the lease's epoch) so one
 * failing rollout never blocks the others (a failure is journaled by {@link RolloutEvaluator} and
 * retried on the next pass).
 */
@ApplicationScoped
public class EvaluatorTick {

    private static final Logger LOG = Logger.getLogger(EvaluatorTick.class);

    private final EvaluatorLease lease;
    private final RolloutEvaluator evaluator;
    private final RolloutConfig config;
    private final EvaluatorMetrics metrics;
    private final Clock clock;

    EvaluatorTick(EvaluatorLease lease, RolloutEvaluator evaluator, RolloutConfig config, EvaluatorMetrics metrics,
                  Clock clock) {
        this.lease = lease;
        this.evaluator = evaluator;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(every = "${rollout.evaluator.interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (config.evaluator().enabled()) {
            lease.takeOrRenew();
            lease.leadingEpoch().ifPresent(epoch -> runOnce(epoch));
        }
    }

    /**
     * Evaluates every live rollout once, unfenced (tests); returns how many were evaluated. The live
     * ones (active, paused, completed within the watch period) and the scheduled drafts due are selected
     * in SQL, so finished rollouts cost nothing and are never locked, however many accumulate.
     */
    public int runOnce() {
        return runOnce(null);
    }

    /** One pass; with a lease epoch, every decision is fenced by it and the pass stops once it is refused. */
    int runOnce(Long leaseEpoch) {
        List<String> keys;
        try {
            keys = QuarkusTransaction.requiringNew().call(this::liveKeys);
        } catch (RuntimeException e) {
            LOG.warnf("evaluation skipped: cannot list rollouts (%s)", e.getMessage());
            return 0;
        }
        long started = System.nanoTime();
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
        metrics.recordPass(Duration.ofNanos(System.nanoTime() - started));
        return evaluated;
    }

    /**
     * The live rollouts, plus the scheduled drafts that are due to start or to be announced (their starting-soon
     * notice not sent yet and due).
     */
    List<String> liveKeys() {
        Instant now = clock.instant();
        Instant watchedSince = now.minus(config.evaluator().watchPeriod());
        return RolloutEntity.getEntityManager().createQuery("""
                        select r.key from RolloutEntity r
                         where r.status in (:running) or (r.status = :completed and r.updatedAt > :watchedSince)
                            or (r.status = :draft and (r.startAt <= :now
                                                       or (r.startingSoonSentAt is null and r.startAt <= :noticeFrom)))
                         order by r.key""", String.class)
                .setParameter("running", List.of(RolloutStatus.ACTIVE, RolloutStatus.PAUSED))
                .setParameter("completed", RolloutStatus.COMPLETED)
                .setParameter("watchedSince", watchedSince)
                .setParameter("draft", RolloutStatus.DRAFT)
                .setParameter("now", now)
                .setParameter("noticeFrom", now.plus(config.evaluator().startingSoonNotice()))
                .getResultList();
    }
}
