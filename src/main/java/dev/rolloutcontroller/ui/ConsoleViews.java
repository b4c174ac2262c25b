package dev.rolloutcontroller.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.SmokeResult;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.evaluator.SignOffService;
import dev.rolloutcontroller.evaluator.SignOffService.SignOffView;
import dev.rolloutcontroller.evaluator.EvaluationView;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.security.Caller;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.RolloutService;
import dev.rolloutcontroller.service.RolloutService.StoredRollout;
import dev.rolloutcontroller.service.ServiceException;
import dev.rolloutcontroller.telemetry.WindowStats;
import dev.rolloutcontroller.ui.Views.ActionButton;
import dev.rolloutcontroller.ui.Views.FieldProblem;
import dev.rolloutcontroller.ui.Views.Fleet;
import dev.rolloutcontroller.ui.Views.Phase;
import dev.rolloutcontroller.ui.Views.RolloutPage;
import dev.rolloutcontroller.ui.Views.RolloutRow;
import dev.rolloutcontroller.ui.Views.ShadowLine;
import dev.rolloutcontroller.ui.Views.SignOffRow;
import dev.rolloutcontroller.ui.Views.SmokeLine;
import dev.rolloutcontroller.ui.Views.Timeline;
import dev.rolloutcontroller.ui.Views.TimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds what the console shows from the same services the REST API uses; it only reads. Every
 * change the console makes goes through {@link RolloutService}, {@link RolloutEvaluator} or
 * {@link SignOffService}, as the API's do.
 */
@ApplicationScoped
class ConsoleViews {

    /** Sessions that reported this recently count as part of the fleet. */
    static final Duration RECENT = Duration.ofMinutes(5);
    static final int TIMELINE_PAGE = 20;
    static final int LAST_DECISION_LENGTH = 240;
    /** Plan metric → the chart (series name of the metrics API) its thresholds are drawn on. */
    static final Map<String, String> CHART_OF_METRIC = Map.of("error_rate", "errorRate", "cycle_time_p95_ms", "cycleTimeP95Ms",
            "memory_bytes", "memoryBytes", "cpu_percent", "cpuPercent");

    private final RolloutService rollouts;
    private final RolloutEvaluator evaluator;
    private final SignOffService signOffs;
    private final WindowStats windowStats;
    private final FleetQueries fleet;
    private final Clock clock;
    private final ObjectMapper json;

    ConsoleViews(RolloutService rollouts, RolloutEvaluator evaluator, SignOffService signOffs, WindowStats windowStats,
                 FleetQueries fleet, Clock clock, ObjectMapper json) {
        this.rollouts = rollouts;
        this.evaluator = evaluator;
        this.signOffs = signOffs;
        this.windowStats = windowStats;
        this.fleet = fleet;
        this.clock = clock;
        this.json = json;
    }

    @Transactional
    public List<RolloutRow> rows() {
        Instant now = clock.instant();
        return rollouts.list().stream().map(stored -> row(stored.rollout(), now)).toList();
    }

    private RolloutRow row(Rollout rollout, Instant now) {
        List<ChecklistItem> gates = gateItems(rollout);
        int passed = (int) gates.stream().filter(ChecklistItem::passed).count();
        long onNew = fleet.sessionsByPath(rollout.key(), now.minus(RECENT)).get("new");
        return new RolloutRow(rollout.key(), rollout.description(), rollout.status().name(), rollout.currentStep().name(),
                rollout.percentage(), timeInStep(rollout, now), passed, gates.size(), lastDecision(rollout.key()), onNew);
    }

    @Transactional
    public RolloutPage page(String key, Caller caller, String before, List<FieldProblem> errors) {
        StoredRollout stored = rollouts.get(key);
        Rollout rollout = stored.rollout();
        Instant now = clock.instant();
        Optional<EvaluationView> latest = evaluator.latest(key);
        List<ChecklistItem> checklist = new ArrayList<>();
        Map<String, List<Map<String, Object>>> thresholds = new LinkedHashMap<>();
        String wouldDo;
        if (rollout.status() == RolloutStatus.DRAFT) {
            checklist.addAll(Checklists.startGates(rollout, signOffs.activeByStep(key)));
            wouldDo = "Not started: press Start once the entry gates have passed.";
        } else {
            Decision decision = evaluator.preview(rollout);
            checklist.addAll(Checklists.gates(rollout.plan(), decision.exitGates(), "Before leaving " + rollout.currentStep().name()));
            rollout.nextStep().ifPresent(next ->
                    checklist.addAll(Checklists.gates(rollout.plan(), decision.entryGates(), "Before entering " + next.name())));
            checklist.addAll(Checklists.triggers(rollout.plan(), decision.triggers()));
            wouldDo = decision.reason();
            thresholds = chartThresholds(rollout, decision);
        }
        Duration soak = rollout.currentStep().soak();
        Duration elapsed = live(rollout) ? Duration.between(rollout.stepEnteredAt(), now) : Duration.ZERO;
        int soakPercent = soak.isZero() ? 100 : (int) Math.min(100, elapsed.toMillis() * 100 / soak.toMillis());
        String soakLeft = !live(rollout) ? "" : elapsed.compareTo(soak) >= 0 ? "soak complete"
                : Figures.duration(soak.minus(elapsed)) + " left";
        return new RolloutPage(rollout.key(), rollout.description(), rollout.status().name(), rollout.version(),
                phases(rollout), rollout.currentStep().name(), rollout.percentage(), timeInStep(rollout, now), soakPercent,
                soakLeft, wouldDo, latest.map(e -> Figures.time(e.evaluatedAt())).orElse("never"), Views.ChecklistSection.of(checklist),
                signOffRows(rollout, caller), actions(rollout, caller), caller.may(Role.OPERATOR), fleet(rollout, caller, now),
                timeline(key, before), errors, json(thresholds));
    }

    /** Chart series name → the limits drawn on that chart: every metric gate of the step and every trigger with a known limit. */
    private static Map<String, List<Map<String, Object>>> chartThresholds(Rollout rollout, Decision decision) {
        Map<String, List<Map<String, Object>>> byChart = new LinkedHashMap<>();
        for (GateResult gate : decision.exitGates()) {
            Optional<Gate> defined = rollout.currentStep().exitGates().size() > gate.index()
                    ? Optional.of(rollout.currentStep().exitGates().get(gate.index())) : Optional.empty();
            defined.filter(Gate.MetricGate.class::isInstance).map(g -> ((Gate.MetricGate) g).condition().metric())
                    .map(CHART_OF_METRIC::get)
                    .filter(chart -> gate.threshold() != null)
                    .ifPresent(chart -> byChart.computeIfAbsent(chart, k -> new ArrayList<>())
                            .add(Map.of("label", "gate: " + gate.description(), "value", gate.threshold())));
        }
        for (TriggerResult trigger : decision.triggers()) {
            String chart = CHART_OF_METRIC.get(trigger.metric());
            if (chart != null && trigger.threshold() != null) {
                byChart.computeIfAbsent(chart, k -> new ArrayList<>())
                        .add(Map.of("label", "trigger: " + trigger.description(), "value", trigger.threshold()));
            }
        }
        return byChart;
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("thresholds are plain maps of strings and numbers", e);
        }
    }

    /** The gates that decide the next move: the start gates of a draft, else this step's exit and the next one's entry. */
    private List<ChecklistItem> gateItems(Rollout rollout) {
        if (rollout.status() == RolloutStatus.DRAFT) {
            return Checklists.startGates(rollout, signOffs.activeByStep(rollout.key()));
        }
        Decision decision = evaluator.preview(rollout);
        return Stream.concat(decision.exitGates().stream(), decision.entryGates().stream())
                .map(g -> Checklists.gate(rollout.plan(), g, "")).toList();
    }

    private static boolean live(Rollout rollout) {
        return rollout.status() == RolloutStatus.ACTIVE || rollout.status() == RolloutStatus.PAUSED;
    }

    private static String timeInStep(Rollout rollout, Instant now) {
        if (!live(rollout)) {
            return switch (rollout.status()) {
                case DRAFT -> "not started";
                case COMPLETED -> "completed";
                default -> "rolled back";
            };
        }
        return Figures.duration(Duration.between(rollout.stepEnteredAt(), now)) + " of " + Figures.duration(rollout.currentStep().soak());
    }

    /** The list's "last decision", cut at {@value #LAST_DECISION_LENGTH} characters: a 2,000-character reason must not make one row a page. */
    String lastDecision(String key) {
        Optional<EventEntity> event = EventEntity.<EventEntity>find("rolloutKey = ?1 order by id desc", key).firstResultOptional();
        Optional<EvaluationView> evaluation = evaluator.latest(key);
        String decision;
        if (evaluation.isPresent() && (event.isEmpty() || evaluation.get().evaluatedAt().isAfter(event.get().occurredAt))) {
            decision = "evaluator: " + evaluation.get().reason();
        } else {
            decision = event.map(e -> eventWords(e.type) + " by " + e.actor + (e.reason == null ? "" : ": " + e.reason)).orElse("");
        }
        return decision.length() <= LAST_DECISION_LENGTH ? decision : decision.substring(0, LAST_DECISION_LENGTH - 1) + "…";
    }

    private static List<Phase> phases(Rollout rollout) {
        List<Phase> phases = new ArrayList<>();
        List<Step> steps = rollout.plan().steps();
        for (int i = 0; i < steps.size(); i++) {
            String state;
            if (rollout.status() == RolloutStatus.COMPLETED || i < rollout.stepIndex()) {
                state = "done";
            } else if (i == rollout.stepIndex() && rollout.status() != RolloutStatus.DRAFT
                    && rollout.status() != RolloutStatus.ROLLED_BACK) {
                state = "current";
            } else {
                state = "ahead";
            }
            phases.add(new Phase(steps.get(i).name(), steps.get(i).percentage(), state, steps.get(i).shadow()));
        }
        return phases;
    }

    /**
     * The sign-off gates that matter now: the first step's entry gates of a draft, the current step's exit
     * gates and the next step's entry gates; each with the active sign-off if one was given.
     */
    private List<SignOffRow> signOffRows(Rollout rollout, Caller caller) {
        List<SignOffView> given = signOffs.list(rollout.key()).stream().filter(s -> s.withdrawnAt() == null).toList();
        boolean over = rollout.status() == RolloutStatus.COMPLETED || rollout.status() == RolloutStatus.ROLLED_BACK;
        List<SignOffRow> rows = new ArrayList<>();
        Step current = rollout.currentStep();
        if (rollout.status() == RolloutStatus.DRAFT) {
            addSignOffRows(rows, current, current.entryGates(), given, caller, over);
        }
        addSignOffRows(rows, current, current.exitGates(), given, caller, over);
        rollout.nextStep().ifPresent(next -> addSignOffRows(rows, next, next.entryGates(), given, caller, over));
        return rows;
    }

    private static void addSignOffRows(List<SignOffRow> rows, Step step, List<Gate> gates, List<SignOffView> given,
                                       Caller caller, boolean over) {
        for (Gate gate : gates) {
            if (!(gate instanceof Gate.SignOff signOff)) {
                continue;
            }
            boolean holds = Role.fromWireName(signOff.role()).map(caller::may).orElse(false);
            Optional<SignOffView> active = given.stream()
                    .filter(s -> s.step().equals(step.name()) && s.role().equals(signOff.role())).findFirst();
            rows.add(new SignOffRow(active.map(SignOffView::id).orElse(0L), step.name(), signOff.role(), signOff.description(),
                    active.isPresent(), active.map(SignOffView::actor).orElse(""),
                    active.map(s -> Figures.time(s.signedAt())).orElse(""),
                    active.map(SignOffView::comment).map(c -> c == null ? "" : c).orElse(""),
                    holds && !over && active.isEmpty(), holds && !over && active.isPresent()));
        }
    }

    private static List<ActionButton> actions(Rollout rollout, Caller caller) {
        Set<Action> allowed = RolloutStateMachine.allowedActions(rollout);
        boolean operator = caller.may(Role.OPERATOR);
        List<ActionButton> buttons = new ArrayList<>();
        for (Action action : Action.values()) {
            boolean statusAllows = allowed.contains(action);
            String why = !statusAllows ? "not possible while " + rollout.status().name()
                    : !operator ? "needs the operator role" : "";
            buttons.add(new ActionButton(action.wireName(), label(action), statusAllows && operator,
                    action == Action.ROLLBACK, action == Action.ADVANCE || action == Action.START, why));
        }
        return buttons;
    }

    static String label(Action action) {
        return switch (action) {
            case START -> "Start";
            case ADVANCE -> "Advance";
            case STEP_BACK -> "Step back";
            case PAUSE -> "Pause";
            case RESUME -> "Resume";
            case ROLLBACK -> "Roll back";
            case RESTART -> "Restart";
        };
    }

    private Fleet fleet(Rollout rollout, Caller caller, Instant now) {
        Map<String, Long> byPath = fleet.sessionsByPath(rollout.key(), now.minus(RECENT));
        WindowStats.Convergence convergence = windowStats.convergence(rollout.key(), rollout.version(), now.minus(RECENT));
        List<SmokeLine> smoke = windowStats.latestSmoke(rollout.key(), rollout.stepEnteredAt()).values().stream()
                .sorted(Comparator.comparing(SmokeResult::check))
                .map(s -> new SmokeLine(s.check(), s.passed() ? "passed" : "failed", Figures.time(s.at()))).toList();
        List<ShadowLine> shadow = fleet.shadowComparisons(rollout.key(), rollout.stepEnteredAt()).stream()
                .map(s -> new ShadowLine(s.category(), s.comparisons(), s.mismatches(),
                        s.comparisons() == 0 ? "" : Figures.percent((double) s.mismatches() / s.comparisons()))).toList();
        String share = convergence.sessionsReporting() == 0 ? "no session has reported yet"
                : Math.round(convergence.share() * 100) + "% of reporting sessions";
        return new Fleet(byPath.get("new"), byPath.get("legacy"), convergence.sessionsReporting(),
                convergence.sessionsOnCurrentVersion(), share, rollout.canarySessions(),
                String.join("\n", rollout.canarySessions()), caller.may(Role.OPERATOR), smoke, shadow);
    }

    /**
     * The audit log and the evaluator's decisions (passes that acted or marked the rollout ready; the
     * passes that changed nothing would bury them) merged newest first, paged by time.
     */
    Timeline timeline(String key, String before) {
        Instant cursor = before == null || before.isBlank() ? Instant.now(clock).plusSeconds(1) : parseCursor(before);
        List<EventEntity> events = EventEntity.find("rolloutKey = ?1 and occurredAt < ?2 order by occurredAt desc, id desc",
                key, cursor).page(0, TIMELINE_PAGE).list();
        List<EvaluationEntity> decisions = EvaluationEntity.find(
                "rolloutKey = ?1 and action <> 'NONE' and evaluatedAt < ?2 order by evaluatedAt desc, id desc", key, cursor)
                .page(0, TIMELINE_PAGE).list();
        record Dated(Instant at, TimelineEntry entry) {
        }
        List<Dated> merged = new ArrayList<>();
        events.forEach(e -> merged.add(new Dated(e.occurredAt, new TimelineEntry(Figures.time(e.occurredAt), Figures.iso(e.occurredAt),
                "audit log", eventWords(e.type), e.actor, e.reason == null ? "" : e.reason, change(e)))));
        decisions.forEach(e -> merged.add(new Dated(e.evaluatedAt, new TimelineEntry(Figures.time(e.evaluatedAt),
                Figures.iso(e.evaluatedAt), "decision journal", "evaluator: " + e.action.toLowerCase().replace('_', ' '),
                "evaluator", e.reason, e.status + " at " + e.step))));
        merged.sort(Comparator.comparing(Dated::at).reversed());
        List<Dated> page = merged.subList(0, Math.min(TIMELINE_PAGE, merged.size()));
        String older = merged.size() > TIMELINE_PAGE || events.size() == TIMELINE_PAGE || decisions.size() == TIMELINE_PAGE
                ? page.get(page.size() - 1).at().toString() : null;
        return new Timeline(page.stream().map(Dated::entry).toList(), before == null ? "" : before, older);
    }

    private static Instant parseCursor(String before) {
        try {
            return Instant.parse(before);
        } catch (RuntimeException e) {
            throw ServiceException.invalid("before", "an ISO-8601 instant from the 'Older' link");
        }
    }

    static String eventWords(String type) {
        String words = type.startsWith("rollout.") ? type.substring("rollout.".length()) : type;
        return words.replace('-', ' ').replace('.', ' ');
    }

    private static String change(EventEntity e) {
        if (e.before == null || e.after == null) {
            return "";
        }
        String from = state(e.before);
        String to = state(e.after);
        return Objects.equals(from, to) ? "" : from + " → " + to;
    }

    private static String state(Map<String, Object> snapshot) {
        return snapshot.get("status") + " " + snapshot.get("step") + " " + snapshot.get("percentage") + "%";
    }
}
