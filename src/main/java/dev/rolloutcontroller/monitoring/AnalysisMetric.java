package dev.rolloutcontroller.monitoring;

import java.util.List;

/**
 * Every series of the rollout analysis on {@code /q/metrics}: the Micrometer name (exported with dots as
 * underscores, counters with {@code _total}), its help text and its labels. Labels are bounded: rollout keys
 * (few), step and gate names from the plan, trigger positions, the two paths; never a session id.
 * docs/operations.md lists the same table.
 */
enum AnalysisMetric {

    STATUS("rollout.status", "1 for the rollout's current status, 0 for the others", "rollout", "status"),
    STEP_INDEX("rollout.step.index", "Position of the current step in the plan, from 0", "rollout"),
    PERCENTAGE("rollout.percentage", "Share of sessions on the new path, 0 to 100", "rollout"),
    STEP_ENTERED("rollout.step.entered.timestamp.seconds", "When the current step was entered (Unix time)", "rollout"),
    STEP_SOAK("rollout.step.soak.seconds", "The current step's minimum time", "rollout"),
    GATE_VERDICT("rollout.gate.verdict", "Gate verdict in the latest evaluation: 1 passed, 0 pending, -1 failing",
            "rollout", "step", "gate", "kind"),
    GATE_NO_DATA("rollout.gate.no.data", "1 while a metric gate is pending for lack of data", "rollout", "step", "gate"),
    GATE_VALUE("rollout.gate.value", "A metric gate's observed value, in the unit of its metric label",
            "rollout", "step", "gate", "metric"),
    GATE_THRESHOLD("rollout.gate.threshold", "A metric gate's limit, in the unit of its metric label",
            "rollout", "step", "gate", "metric"),
    TRIGGER_BREACHED("rollout.trigger.breached", "1 while the trigger's condition holds", "rollout", "trigger", "metric"),
    TRIGGER_VALUE("rollout.trigger.value", "A trigger's observed value, in the unit of its metric label",
            "rollout", "trigger", "metric"),
    TRIGGER_THRESHOLD("rollout.trigger.threshold", "A trigger's limit, in the unit of its metric label",
            "rollout", "trigger", "metric"),
    SESSIONS_REPORTING("rollout.path.sessions.reporting", "Sessions that reported on the path within the window",
            "rollout", "path"),
    ERROR_RATIO("rollout.path.error.ratio", "Errors per cycle on the path within the window", "rollout", "path"),
    CYCLE_TIME_P95("rollout.path.cycle.time.p95.seconds", "95th percentile cycle time on the path within the window",
            "rollout", "path"),
    MEMORY("rollout.path.memory.bytes", "Largest memory reported on the path within the window", "rollout", "path"),
    CPU("rollout.path.cpu.ratio", "Mean CPU use on the path within the window (1 = one core)", "rollout", "path"),
    FLAG_VERSION_APPLIED("rollout.flag.version.applied.ratio",
            "Share of recently reporting sessions that apply the rollout's current flag version", "rollout"),
    LAST_PASS("rollout.evaluator.last.pass.timestamp.seconds", "When the evaluator last judged the rollout (Unix time)",
            "rollout"),
    DECISIONS("rollout.evaluator.decisions", "Evaluator decisions that changed the rollout, read from the journal",
            "rollout", "action"),
    EVALUATOR_INTERVAL("rollout.evaluator.interval.seconds", "The evaluator's configured interval"),
    WEBHOOK_DEAD("rollout.webhook.deliveries.dead", "Webhook deliveries that gave up (every replica reads the same count)"),
    DATABASE_UP("rollout.database.up", "1 when the latest analysis refresh could read the database");

    final String meterName;
    final String help;
    final List<String> labels;

    AnalysisMetric(String meterName, String help, String... labels) {
        this.meterName = meterName;
        this.help = help;
        this.labels = List.of(labels);
    }

    /** The name Prometheus sees (gauges; counters add {@code _total}). */
    String prometheusName() {
        return meterName.replace('.', '_');
    }
}
