package dev.rolloutcontroller.monitoring;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.config.SchedulerPeriod;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.domain.evaluation.Verdict;
import dev.rolloutcontroller.notify.WebhookDeliveryEntity;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.service.RolloutChanged;
import dev.rolloutcontroller.telemetry.WindowStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rollout analysis as gauges on {@code /q/metrics} (see {@link AnalysisMetric}), on every replica whether
 * it leads or not: each refresh reads the rollouts, the latest journal entry of each and the window figures
 * from the database, and scrapes only read the view that refresh left. Live rollouts are exported, and ended
 * ones for {@code rollout.metrics.ended-retention} after they ended; series of rollouts, gates or triggers
 * that are gone are removed, so a finished rollout leaves nothing behind.
 */
@Startup
@ApplicationScoped
public class RolloutAnalysisMetrics {

    private static final Logger LOG = Logger.getLogger(RolloutAnalysisMetrics.class);

    /** Decisions that change a rollout; a MARK_READY repeats every pass and NONE is no decision. */
    static final List<String> DECISION_ACTIONS = List.of("ADVANCE", "ROLLBACK", "STEP_BACK", "PAUSE");

    /** Journal entries read per refresh to count decisions; a backlog beyond it is counted on the next refreshes. */
    private static final int DECISION_BATCH = 1000;

    /** One series: a metric and its label values, in {@link AnalysisMetric#labels} order. */
    record Series(AnalysisMetric metric, List<String> values) {
        static Series of(AnalysisMetric metric, String... values) {
            if (values.length != metric.labels.size()) {
                throw new IllegalArgumentException(metric + " takes labels " + metric.labels);
            }
            return new Series(metric, List.of(values));
        }

        Tags tags() {
            List<Tag> tags = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                tags.add(Tag.of(metric.labels.get(i), values.get(i)));
            }
            return Tags.of(tags);
        }
    }

    private final MeterRegistry registry;
    private final WindowStats windowStats;
    private final RolloutConfig config;
    private final Clock clock;

    private final Map<Series, Meter> meters = new HashMap<>();
    private volatile Map<Series, Double> values = Map.of();
    /** Journal entries up to this id are counted in {@link AnalysisMetric#DECISIONS}; null until the first read. */
    private Long decisionsCountedUpTo;

    RolloutAnalysisMetrics(MeterRegistry registry, WindowStats windowStats, RolloutConfig config, Clock clock) {
        this.registry = registry;
        this.windowStats = windowStats;
        this.config = config;
        this.clock = clock;
        Map<Series, Double> initial = new HashMap<>();
        initial.put(Series.of(AnalysisMetric.EVALUATOR_INTERVAL), (double) evaluatorInterval(config).toSeconds());
        initial.put(Series.of(AnalysisMetric.DATABASE_UP), 0.0);
        initial.put(Series.of(AnalysisMetric.WEBHOOK_DEAD), 0.0);
        publish(initial);
    }

    @Scheduled(every = "${rollout.metrics.refresh-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRefresh() {
        refresh();
    }

    /** Re-reads the analysis; when the database cannot be read, the last view stays and database.up says 0. */
    public synchronized void refresh() {
        Map<Series, Double> next;
        try {
            next = QuarkusTransaction.requiringNew().call(() -> read(clock.instant()));
            next.put(Series.of(AnalysisMetric.DATABASE_UP), 1.0);
        } catch (RuntimeException e) {
            LOG.debugf("analysis refresh failed, keeping the last view: %s", e.getMessage());
            next = new HashMap<>(values);
            next.put(Series.of(AnalysisMetric.DATABASE_UP), 0.0);
        }
        next.put(Series.of(AnalysisMetric.EVALUATOR_INTERVAL), (double) evaluatorInterval(config).toSeconds());
        publish(next);
    }

    /** A committed change on this replica shows at once; the next refresh brings the rest (and other replicas' changes). */
    synchronized void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RolloutChanged changed) {
        Rollout rollout = changed.rollout();
        Map<Series, Double> next = new HashMap<>(values);
        next.keySet().removeIf(series -> isRolloutLevel(series.metric()) && series.values().get(0).equals(rollout.key()));
        if (exported(rollout.status(), rollout.updatedAt(), clock.instant())) {
            putRolloutLevel(next, rollout);
        }
        publish(next);
    }

    /** The value a scrape reads now; NaN when the series is not exported (for tests and the gauges). */
    double value(Series series) {
        return values.getOrDefault(series, Double.NaN);
    }

    private Map<Series, Double> read(Instant now) {
        Map<Series, Double> next = new HashMap<>();
        List<RolloutEntity> rows = RolloutEntity.list("status in ?1 or (status in ?2 and updatedAt >= ?3)",
                List.of(RolloutStatus.ACTIVE, RolloutStatus.PAUSED),
                List.of(RolloutStatus.COMPLETED, RolloutStatus.ROLLED_BACK),
                now.minus(config.metrics().endedRetention()));
        Set<String> keys = new LinkedHashSet<>();
        for (RolloutEntity row : rows) {
            Rollout rollout = RolloutMapping.toDomain(row);
            keys.add(rollout.key());
            putRolloutLevel(next, rollout);
            putPaths(next, rollout, now);
            EvaluationEntity.<EvaluationEntity>find("rolloutKey = ?1 order by id desc", rollout.key()).firstResultOptional()
                    .ifPresent(latest -> putJournal(next, rollout, latest));
        }
        countDecisions(keys);
        long dead = WebhookDeliveryEntity.count("status", WebhookDeliveryEntity.DEAD);
        next.put(Series.of(AnalysisMetric.WEBHOOK_DEAD), (double) dead);
        return next;
    }

    private boolean exported(RolloutStatus status, Instant updatedAt, Instant now) {
        return switch (status) {
            case ACTIVE, PAUSED -> true;
            case COMPLETED, ROLLED_BACK -> !updatedAt.plus(config.metrics().endedRetention()).isBefore(now);
            case DRAFT -> false;
        };
    }

    private static boolean isRolloutLevel(AnalysisMetric metric) {
        return switch (metric) {
            case STATUS, STEP_INDEX, PERCENTAGE, STEP_ENTERED, STEP_SOAK -> true;
            default -> false;
        };
    }

    private static void putRolloutLevel(Map<Series, Double> next, Rollout rollout) {
        String key = rollout.key();
        for (RolloutStatus status : RolloutStatus.values()) {
            next.put(Series.of(AnalysisMetric.STATUS, key, status.name()), status == rollout.status() ? 1.0 : 0.0);
        }
        next.put(Series.of(AnalysisMetric.STEP_INDEX, key), (double) rollout.stepIndex());
        next.put(Series.of(AnalysisMetric.PERCENTAGE, key), (double) rollout.percentage());
        next.put(Series.of(AnalysisMetric.STEP_ENTERED, key), rollout.stepEnteredAt().toEpochMilli() / 1000.0);
        next.put(Series.of(AnalysisMetric.STEP_SOAK, key), (double) rollout.currentStep().soak().toSeconds());
    }

    private void putPaths(Map<Series, Double> next, Rollout rollout, Instant now) {
        Duration window = config.metrics().pathWindow();
        Map<StatKey, Observation> stats = new HashMap<>();
        List<String> metrics = List.of("sessions_reporting", "error_rate", "cycle_time_p95_ms", "memory_bytes", "cpu_percent");
        Set<StatKey> wanted = new LinkedHashSet<>();
        for (String path : Vocabulary.PATHS) {
            for (String metric : metrics) {
                wanted.add(new StatKey(metric, null, path, window, false));
            }
        }
        stats.putAll(windowStats.observe(rollout, wanted, now));
        String key = rollout.key();
        for (String path : Vocabulary.PATHS) {
            Observation sessions = stats.get(new StatKey("sessions_reporting", null, path, window, false));
            Observation errors = stats.get(new StatKey("error_rate", null, path, window, false));
            Observation p95 = stats.get(new StatKey("cycle_time_p95_ms", null, path, window, false));
            Observation memory = stats.get(new StatKey("memory_bytes", null, path, window, false));
            Observation cpu = stats.get(new StatKey("cpu_percent", null, path, window, false));
            next.put(Series.of(AnalysisMetric.SESSIONS_REPORTING, key, path), (double) sessions.samples());
            next.put(Series.of(AnalysisMetric.ERROR_RATIO, key, path),
                    errors.samples() == 0 ? Double.NaN : (double) errors.events() / errors.samples());
            next.put(Series.of(AnalysisMetric.CYCLE_TIME_P95, key, path), p95.value() / 1000.0);
            next.put(Series.of(AnalysisMetric.MEMORY, key, path), memory.value());
            next.put(Series.of(AnalysisMetric.CPU, key, path), cpu.value() / 100.0);
        }
        WindowStats.Convergence convergence = windowStats.convergence(key, rollout.version(),
                now.minus(config.evaluator().convergenceWindow()));
        next.put(Series.of(AnalysisMetric.FLAG_VERSION_APPLIED, key),
                convergence.sessionsReporting() == 0 ? Double.NaN : convergence.share());
    }

    private static void putJournal(Map<Series, Double> next, Rollout rollout, EvaluationEntity latest) {
        String key = rollout.key();
        next.put(Series.of(AnalysisMetric.LAST_PASS, key), latest.evaluatedAt.toEpochMilli() / 1000.0);
        List<GateResult> gates = new ArrayList<>(latest.exitGates);
        gates.addAll(latest.entryGates);
        for (GateResult gate : gates) {
            String label = gateLabel(gate, rollout.plan());
            next.put(Series.of(AnalysisMetric.GATE_VERDICT, key, gate.step(), label, gate.kind()), verdictValue(gate.verdict()));
            gateMetric(gate, rollout.plan()).ifPresent(metric -> {
                next.put(Series.of(AnalysisMetric.GATE_NO_DATA, key, gate.step(), label),
                        gate.verdict() == Verdict.PENDING && (gate.samples() == null || gate.samples() == 0) ? 1.0 : 0.0);
                next.put(Series.of(AnalysisMetric.GATE_VALUE, key, gate.step(), label, metric), orNaN(gate.observed()));
                next.put(Series.of(AnalysisMetric.GATE_THRESHOLD, key, gate.step(), label, metric), orNaN(gate.threshold()));
            });
        }
        for (TriggerResult trigger : latest.triggers) {
            String label = triggerLabel(trigger);
            next.put(Series.of(AnalysisMetric.TRIGGER_BREACHED, key, label, trigger.metric()), trigger.breached() ? 1.0 : 0.0);
            next.put(Series.of(AnalysisMetric.TRIGGER_VALUE, key, label, trigger.metric()), orNaN(trigger.observed()));
            next.put(Series.of(AnalysisMetric.TRIGGER_THRESHOLD, key, label, trigger.metric()), orNaN(trigger.threshold()));
        }
    }

    /**
     * Counts the journal's state-changing decisions since the last refresh, per rollout and action; the first
     * refresh only notes where the journal stands, so a restart does not count history again.
     */
    private void countDecisions(Set<String> exportedKeys) {
        if (decisionsCountedUpTo == null) {
            decisionsCountedUpTo = EvaluationEntity.find("select coalesce(max(id), 0) from EvaluationEntity")
                    .project(Long.class).firstResult();
        } else {
            List<EvaluationEntity> decided = EvaluationEntity.<EvaluationEntity>find("id > ?1 and action in ?2 order by id",
                    decisionsCountedUpTo, DECISION_ACTIONS).page(0, DECISION_BATCH).list();
            for (EvaluationEntity entry : decided) {
                if (exportedKeys.contains(entry.rolloutKey)) {
                    decisionCounter(entry.rolloutKey, entry.action).increment();
                }
            }
            decisionsCountedUpTo = decided.size() == DECISION_BATCH
                    ? decided.get(decided.size() - 1).id
                    : EvaluationEntity.find("select coalesce(max(id), 0) from EvaluationEntity").project(Long.class).firstResult();
        }
        for (String key : exportedKeys) {
            for (String action : DECISION_ACTIONS) {
                decisionCounter(key, action);
            }
        }
        meters.entrySet().removeIf(entry -> {
            Series series = entry.getKey();
            if (series.metric() == AnalysisMetric.DECISIONS && !exportedKeys.contains(series.values().get(0))) {
                registry.remove(entry.getValue());
                return true;
            }
            return false;
        });
    }

    private Counter decisionCounter(String rollout, String action) {
        Series series = Series.of(AnalysisMetric.DECISIONS, rollout, action.toLowerCase(Locale.ROOT));
        return (Counter) meters.computeIfAbsent(series, s -> Counter.builder(s.metric().meterName)
                .description(s.metric().help).tags(s.tags()).register(registry));
    }

    /** {@code exit-0-soak}, {@code entry-1-sign-off-devops}, {@code exit-2-error_rate}: the step's own gate list. */
    static String gateLabel(GateResult gate, Plan plan) {
        String base = gate.phase() + "-" + gate.index() + "-";
        return gateMetric(gate, plan).map(metric -> base + metric)
                .or(() -> gate.signOffRole(plan).map(role -> base + gate.kind() + "-" + role))
                .orElse(base + gate.kind());
    }

    /** {@code 0-error_rate}: the trigger's position in the plan and its metric. */
    static String triggerLabel(TriggerResult trigger) {
        return trigger.index() + "-" + trigger.metric();
    }

    private static Optional<String> gateMetric(GateResult gate, Plan plan) {
        if (!Gate.METRIC.equals(gate.kind())) {
            return Optional.empty();
        }
        return plan.steps().stream().filter(step -> step.name().equals(gate.step())).findFirst()
                .map(step -> GateResult.EXIT.equals(gate.phase()) ? step.exitGates() : step.entryGates())
                .filter(list -> gate.index() < list.size())
                .map(list -> list.get(gate.index()))
                .filter(Gate.MetricGate.class::isInstance)
                .map(g -> ((Gate.MetricGate) g).condition().metric());
    }

    static double verdictValue(Verdict verdict) {
        return switch (verdict) {
            case PASS -> 1;
            case PENDING -> 0;
            case FAIL -> -1;
        };
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    /** Swaps in the view, registering gauges for new series and removing those of series that are gone. */
    private synchronized void publish(Map<Series, Double> next) {
        values = Map.copyOf(next);
        for (Series series : next.keySet()) {
            meters.computeIfAbsent(series, s -> Gauge.builder(s.metric().meterName, this, m -> m.value(s))
                    .description(s.metric().help).tags(s.tags()).strongReference(true).register(registry));
        }
        meters.entrySet().removeIf(entry -> {
            if (entry.getKey().metric() != AnalysisMetric.DECISIONS && !next.containsKey(entry.getKey())) {
                registry.remove(entry.getValue());
                return true;
            }
            return false;
        });
    }

    /** {@code rollout.evaluator.interval} is a scheduler period: {@code 10s}, {@code 1m} or ISO-8601 {@code PT10S}. */
    static Duration evaluatorInterval(RolloutConfig config) {
        return SchedulerPeriod.parse(config.evaluator().interval());
    }
}
