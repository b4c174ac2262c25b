package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.DeploymentCalendar;
import dev.rolloutcontroller.domain.Freeze;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Metric;
import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.Transition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a plan would have decided over recorded data: the evaluator's passes replayed at its cadence, each judged by
 * {@link RolloutEngine#evaluate} exactly as live (nothing of the judging is re-implemented here), with the rollout
 * simulated as the engine's decisions move it. Pure: the caller loads the records once.
 *
 * <h2>The simulated rollout</h2>
 * It starts as the audit events say the rollout was at {@code from} (status, step, canary list, when the step was
 * entered), under the replayed plan. At each pass it is judged if the evaluator would judge it ({@link #isLive});
 * ADVANCE, STEP_BACK, PAUSE and ROLLBACK move it through the state machine, and an advance captures the baseline as
 * the evaluator does. Operators' recorded actions apply at their time when the simulated rollout is where the
 * operator acted (an advance or step-back from the same step; start, pause, resume, rollback and restart whenever
 * the state machine allows them); the others are counted as skipped. Canary list edits apply as recorded.
 *
 * <h2>What is not replayed</h2>
 * Sign-offs count as recorded (given and withdrawn at their times), not withdrawn by a simulated step-back. Trigger
 * streaks start at 0. Per-session metrics and Prometheus conditions read as unavailable (see
 * {@link RecordedTelemetry}). A pass sees the whole of its current minute's rollups.
 */
public final class Replay {

    /** A sign-off as recorded: given at {@code signedAt}, withdrawn at {@code withdrawnAt} (null while in force). */
    public record SignOffRecord(String step, String role, Instant signedAt, Instant withdrawnAt) {
    }

    /**
     * An audit event as the replay reads it. {@code statusAfter}, {@code stepIndexBefore}, {@code stepIndexAfter} and
     * {@code canaryAfter} are null when the event does not carry the rollout's state (sign-offs, baselines);
     * {@code byEvaluator} tells the evaluator's decisions (replaced by the replayed ones) from operators' actions.
     */
    public record RecordedEvent(Instant at, String type, boolean byEvaluator, String statusAfter, Integer stepIndexBefore,
                                Integer stepIndexAfter, List<String> canaryAfter) {
    }

    /** A journal entry: what the evaluator actually decided at a pass, under which plan version. */
    public record JournalEntry(Instant at, String status, String step, String action, int planVersion) {
    }

    /**
     * @param rollout  the rollout as stored now (its key, description, auto-advance, environment, creation)
     * @param plan     the plan to replay
     * @param events   the rollout's audit events up to {@code to}, oldest first
     * @param baseline the baseline in force at {@code from}
     * @param journal  the journal entries of {@code [from, to + interval)}, oldest first
     * @param maxRuns  how many runs the result lists at most
     * @param serviceFreezes the service-wide freezes, which hold the replayed advances as they hold live ones
     */
    public record Input(Rollout rollout, Plan plan, Instant from, Instant to, Duration interval, Duration watchPeriod,
                        RecordedTelemetry telemetry, List<SignOffRecord> signOffs, List<RecordedEvent> events,
                        Map<String, Double> baseline, List<JournalEntry> journal, int maxRuns, List<Freeze> serviceFreezes) {
        public Input {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("the interval must be positive");
            }
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("to must not be before from");
            }
        }
    }

    /** Where a rollout was at a pass and what was decided there. */
    public record Position(String status, String step, String action) {
    }

    /**
     * Consecutive passes with the same replayed position and the same recorded one (a pass without a journal entry
     * joins the run it falls in).
     *
     * @param reason the engine's reason at the run's first pass
     * @param actual the journal's position, or null when no journal entry falls in the run
     */
    public record Run(Instant from, Instant to, int passes, Position replayed, String reason, Position actual,
                      Integer actualPlanVersion, boolean differs) {
    }

    /** The first pass whose replayed position differs from the journal's. */
    public record Difference(Instant at, Position replayed, String reason, Position actual, Integer actualPlanVersion) {
    }

    public record Result(int passes, Position start, Position end, List<Run> runs, boolean truncated, Difference firstDifference,
                         Map<String, Integer> replayedActions, Map<String, Integer> actualActions, int operatorActionsApplied,
                         int operatorActionsSkipped) {
    }

    private Replay() {
    }

    /** Whether the evaluator judges a rollout at {@code now}: ACTIVE, PAUSED, or COMPLETED within the watch period. */
    public static boolean isLive(Rollout rollout, Instant now, Duration watchPeriod) {
        return switch (rollout.status()) {
            case ACTIVE, PAUSED -> true;
            case COMPLETED -> rollout.updatedAt().plus(watchPeriod).isAfter(now);
            case DRAFT, ROLLED_BACK -> false;
        };
    }

    /** The longest window any condition of the plan looks back (zero when every one reads the whole step). */
    public static Duration longestWindow(Plan plan) {
        Duration longest = Duration.ZERO;
        for (MetricCondition condition : conditions(plan)) {
            if (condition.window() != null && condition.window().compareTo(longest) > 0) {
                longest = condition.window();
            }
        }
        return longest;
    }

    /** The metrics of the plan's conditions that a replay cannot read from the records. */
    public static Set<String> unreplayedMetrics(Plan plan) {
        Set<String> metrics = new LinkedHashSet<>();
        for (MetricCondition condition : conditions(plan)) {
            Metric.fromWireName(condition.metric())
                    .filter(m -> m == Metric.SESSIONS_REPORTING || m == Metric.MEMORY_GROWTH || m == Metric.PROMETHEUS)
                    .ifPresent(m -> metrics.add(m.wireName()));
        }
        return metrics;
    }

    private static List<MetricCondition> conditions(Plan plan) {
        List<MetricCondition> conditions = new ArrayList<>();
        for (Step step : plan.steps()) {
            for (Gate gate : step.entryGates()) {
                if (gate instanceof Gate.MetricGate metric) {
                    conditions.add(metric.condition());
                }
            }
            for (Gate gate : step.exitGates()) {
                if (gate instanceof Gate.MetricGate metric) {
                    conditions.add(metric.condition());
                }
            }
        }
        plan.triggers().forEach(trigger -> conditions.add(trigger.condition()));
        return conditions;
    }

    /**
     * The rollout as the audit events say it was at {@code at}, under {@code plan}: each event carrying a state sets
     * the status, step and canary list; the step clock restarts where the state machine restarts it (start, restart,
     * step-back, an advance that does not complete). Before the first event it is the rollout as a draft.
     */
    public static Rollout stateAt(Rollout stored, Plan plan, List<RecordedEvent> events, Instant at) {
        Rollout state = new Rollout(stored.key(), stored.description(), RolloutStatus.DRAFT, 0, plan, List.of(),
                stored.autoAdvance(), 1, stored.createdAt(), stored.createdAt(), stored.createdAt(), stored.env(),
                stored.stickinessGroup());
        for (RecordedEvent event : events) {
            if (event.at().isAfter(at)) {
                break;
            }
            state = recorded(state, event);
        }
        return state;
    }

    private static Rollout recorded(Rollout state, RecordedEvent event) {
        if (event.statusAfter() == null) {
            return state;
        }
        RolloutStatus status = RolloutStatus.valueOf(event.statusAfter());
        int stepIndex = event.stepIndexAfter() == null ? state.stepIndex()
                : Math.min(event.stepIndexAfter(), state.plan().lastStepIndex());
        Instant stepEnteredAt = restartsStepClock(event) ? event.at() : state.stepEnteredAt();
        List<String> canary = event.canaryAfter() == null ? state.canarySessions() : event.canaryAfter();
        return new Rollout(state.key(), state.description(), status, stepIndex, state.plan(), canary, state.autoAdvance(),
                state.version() + 1, state.createdAt(), event.at(), stepEnteredAt, state.env(), state.stickinessGroup());
    }

    private static boolean restartsStepClock(RecordedEvent event) {
        return switch (event.type()) {
            case "rollout.started", "rollout.force-started", "rollout.restarted", "rollout.stepped-back" -> true;
            case "rollout.advanced", "rollout.force-advanced" -> !RolloutStatus.COMPLETED.name().equals(event.statusAfter());
            default -> false;
        };
    }

    /** An operator's action as the state machine names it; empty for the evaluator's and for other events. */
    static Optional<Action> operatorAction(RecordedEvent event) {
        if (event.byEvaluator()) {
            return Optional.empty();
        }
        Action action = switch (event.type()) {
            case "rollout.started", "rollout.force-started" -> Action.START;
            case "rollout.advanced", "rollout.force-advanced" -> Action.ADVANCE;
            case "rollout.stepped-back" -> Action.STEP_BACK;
            case "rollout.paused" -> Action.PAUSE;
            case "rollout.resumed" -> Action.RESUME;
            case "rollout.rolled-back" -> Action.ROLLBACK;
            case "rollout.restarted" -> Action.RESTART;
            default -> null;
        };
        return Optional.ofNullable(action);
    }

    /** Runs the passes of {@code [from, to]} at the interval; see the class comment. */
    public static Result run(Input input) {
        Rollout simulated = stateAt(input.rollout(), input.plan(), input.events(), input.from());
        DeploymentCalendar calendar = DeploymentCalendar.of(input.plan(), input.serviceFreezes());
        Position start = new Position(simulated.status().name(), simulated.currentStep().name(), null);
        Map<Integer, Integer> streaks = Map.of();
        Map<String, Double> baseline = new HashMap<>(input.baseline());
        int nextEvent = 0;
        while (nextEvent < input.events().size() && !input.events().get(nextEvent).at().isAfter(input.from())) {
            nextEvent++;
        }
        int nextEntry = 0;
        int applied = 0;
        int skipped = 0;
        Map<String, Integer> replayedActions = new TreeMap<>();
        Map<String, Integer> actualActions = new TreeMap<>();
        Runs runs = new Runs(input.maxRuns());
        int passes = 0;
        for (Instant now = input.from(); !now.isAfter(input.to()); now = now.plus(input.interval())) {
            while (nextEvent < input.events().size() && !input.events().get(nextEvent).at().isAfter(now)) {
                RecordedEvent event = input.events().get(nextEvent++);
                Optional<Action> action = operatorAction(event);
                if (action.isPresent()) {
                    Rollout moved = operatorActed(simulated, event, action.get());
                    if (moved == null) {
                        skipped++;
                    } else {
                        simulated = moved;
                        applied++;
                    }
                } else if (event.canaryAfter() != null && !event.canaryAfter().equals(simulated.canarySessions())) {
                    simulated = simulated.withCanarySessions(event.canaryAfter(), event.at());
                }
            }
            Instant passEnd = now.plus(input.interval());
            JournalEntry actual = null;
            while (nextEntry < input.journal().size() && input.journal().get(nextEntry).at().isBefore(passEnd)) {
                JournalEntry entry = input.journal().get(nextEntry++);
                if (entry.at().isBefore(now)) {
                    continue;
                }
                actualActions.merge(entry.action(), 1, Integer::sum);
                if (actual == null || EngineAction.NONE.name().equals(actual.action())) {
                    actual = entry;
                }
            }
            Position replayed;
            String reason;
            if (isLive(simulated, now, input.watchPeriod())) {
                Map<StatKey, Observation> stats = new HashMap<>();
                for (StatKey key : RolloutEngine.requiredStats(simulated)) {
                    stats.put(key, input.telemetry().observe(key, simulated.stepEnteredAt(), now));
                }
                EvaluationInput pass = new EvaluationInput(simulated, now, stats, signOffsAt(input.signOffs(), now),
                        input.telemetry().latestSmoke(simulated.stepEnteredAt(), now), baseline, streaks, input.watchPeriod());
                Decision decision = CalendarHold.apply(RolloutEngine.evaluate(pass), calendar, now);
                streaks = decision.streaks();
                replayed = new Position(simulated.status().name(), simulated.currentStep().name(), decision.action().name());
                reason = decision.reason();
                if (decision.action() == EngineAction.ADVANCE) {
                    baseline.putAll(RolloutEngine.baselineFrom(simulated, stats));
                }
                simulated = decided(simulated, decision.action(), now);
            } else {
                replayed = new Position(simulated.status().name(), simulated.currentStep().name(), EngineAction.NONE.name());
                reason = "not evaluated: the rollout is " + simulated.status()
                        + (simulated.status() == RolloutStatus.COMPLETED ? " and its watch period is over" : "");
            }
            replayedActions.merge(replayed.action(), 1, Integer::sum);
            runs.add(now, replayed, reason, actual);
            passes++;
        }
        Position end = new Position(simulated.status().name(), simulated.currentStep().name(), null);
        return new Result(passes, start, end, runs.list(), runs.truncated(), runs.firstDifference(), replayedActions,
                actualActions, applied, skipped);
    }

    /** The operator's recorded action applied to the simulated rollout, or null when it does not fit it. */
    private static Rollout operatorActed(Rollout simulated, RecordedEvent event, Action action) {
        boolean fromThisStep = event.stepIndexBefore() == null || event.stepIndexBefore() == simulated.stepIndex();
        if ((action == Action.ADVANCE || action == Action.STEP_BACK) && !fromThisStep) {
            return null;
        }
        Transition transition = RolloutStateMachine.apply(simulated, action, event.at());
        return transition instanceof Transition.Applied moved ? moved.rollout() : null;
    }

    /** The engine's action applied as the evaluator applies it; NONE and MARK_READY move nothing. */
    private static Rollout decided(Rollout simulated, EngineAction action, Instant now) {
        Action move = switch (action) {
            case NONE, MARK_READY -> null;
            case ADVANCE -> Action.ADVANCE;
            case STEP_BACK -> Action.STEP_BACK;
            case PAUSE -> Action.PAUSE;
            case ROLLBACK -> Action.ROLLBACK;
        };
        if (move == null) {
            return simulated;
        }
        Transition transition = RolloutStateMachine.apply(simulated, move, now);
        return transition instanceof Transition.Applied moved ? moved.rollout() : simulated;
    }

    /** Step → roles whose sign-off was in force at {@code now}. */
    static Map<String, Set<String>> signOffsAt(List<SignOffRecord> signOffs, Instant now) {
        Map<String, Set<String>> byStep = new HashMap<>();
        for (SignOffRecord signOff : signOffs) {
            boolean given = !signOff.signedAt().isAfter(now);
            boolean withdrawn = signOff.withdrawnAt() != null && !signOff.withdrawnAt().isAfter(now);
            if (given && !withdrawn) {
                byStep.computeIfAbsent(signOff.step(), step -> new HashSet<>()).add(signOff.role());
            }
        }
        return byStep;
    }

    /** Collapses passes into runs, at most {@code max}, and remembers the first difference. */
    private static final class Runs {
        private final int max;
        private final List<Run> runs = new ArrayList<>();
        private boolean truncated;
        private Difference firstDifference;
        private Instant from;
        private Instant to;
        private int passes;
        private Position replayed;
        private String reason;
        private JournalEntry actual;

        Runs(int max) {
            this.max = max;
        }

        void add(Instant at, Position position, String why, JournalEntry entry) {
            Position recorded = entry == null ? null : new Position(entry.status(), entry.step(), entry.action());
            if (recorded != null && !recorded.equals(position) && firstDifference == null) {
                firstDifference = new Difference(at, position, why, recorded, entry.planVersion());
            }
            boolean joins = replayed != null && replayed.equals(position)
                    && (entry == null || actual == null || position(actual).equals(recorded));
            if (joins) {
                to = at;
                passes++;
                actual = actual == null ? entry : actual;
                return;
            }
            close();
            from = at;
            to = at;
            passes = 1;
            replayed = position;
            reason = why;
            actual = entry;
        }

        private static Position position(JournalEntry entry) {
            return new Position(entry.status(), entry.step(), entry.action());
        }

        private void close() {
            if (replayed == null) {
                return;
            }
            if (runs.size() == max) {
                truncated = true;
                return;
            }
            Position recorded = actual == null ? null : position(actual);
            runs.add(new Run(from, to, passes, replayed, reason, recorded, actual == null ? null : actual.planVersion(),
                    recorded != null && !Objects.equals(recorded, replayed)));
        }

        List<Run> list() {
            close();
            replayed = null;
            return List.copyOf(runs);
        }

        boolean truncated() {
            return truncated;
        }

        Difference firstDifference() {
            return firstDifference;
        }
    }
}
