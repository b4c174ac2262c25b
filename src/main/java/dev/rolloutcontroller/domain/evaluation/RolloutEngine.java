package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.MetricCondition;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.Trigger;
import dev.rolloutcontroller.domain.TriggerAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The evaluator's decision, as a pure function of {@link EvaluationInput}: no clock, no randomness, no I/O.
 *
 * <h2>Order</h2>
 * Triggers first, then gates. A fired trigger acts whatever the gates say, even while the rollout is paused or
 * auto-advance is off; gates only move an ACTIVE rollout.
 *
 * <h2>Gates</h2>
 * Each gate is PASS, FAIL or PENDING, and not enough data is PENDING, never PASS:
 * <ul>
 *   <li>soak: PASS once the time since the current step was entered reaches the soak of the step that lists the
 *       gate (for an entry gate, the next step's soak, still measured in the current step: its clock is the only
 *       one running).</li>
 *   <li>sign-off: PASS when the role signed off the step the gate belongs to (the current step for exit gates,
 *       the next step for entry gates), else PENDING; never FAIL.</li>
 *   <li>smoke: the latest result of each listed check since the step was entered (older ones are ignored):
 *       any failed → FAIL, else any missing → PENDING, else PASS.</li>
 *   <li>condition {@code canary-list-not-empty}: PASS or FAIL.</li>
 *   <li>metric: PENDING below {@code max(minSamples, 1)} samples or without its reference (see {@link Reading}).
 *       Non-rates compare the point value: PASS or FAIL. Rates ({@code error_rate}, {@code shadow_mismatch_rate})
 *       are judged with the 95% {@link Wilson} interval: with {@code <} or {@code ≤} the gate PASSES only when the
 *       upper bound meets the comparison, FAILS when the point estimate already violates it, and is PENDING in
 *       between (more data will tell); {@code >} and {@code ≥} mirror this with the lower bound. {@code =}
 *       compares the point estimate exactly, because "= 0 mismatches" could never pass on an upper bound, which
 *       is always above 0.</li>
 * </ul>
 *
 * <h2>Triggers</h2>
 * Watched while ACTIVE or PAUSED, and while COMPLETED for {@code watchPeriod} after the last change
 * ({@code updatedAt}); never in DRAFT or ROLLED_BACK. A trigger is breached only with enough data (so never on an
 * empty or too-small window); a rate trigger with {@code >} or {@code ≥} only when the lower Wilson bound is over
 * the limit ({@code <}, {@code ≤}: the upper bound under it; {@code =}: the point estimate). The streak is
 * {@code previous + 1} when breached, else 0, and the trigger fires when the streak reaches {@code consecutive}.
 * A trigger relative to {@code baseline} whose legacy path no longer reports enough (at 100%) is judged against both
 * the captured baseline and the new path's own hour before the window at this step ({@link OwnHistory}), and is
 * breached when it holds against either: a regression that starts at 100% shows as a step in the new path's own
 * series, one that came with the step shows against the captured baseline.
 * A rate trigger ({@code <}, {@code ≤}, {@code >}, {@code ≥}) not breached over its whole window is also judged over
 * the newest half, quarter... of it ({@link NewestStretches}) against the same limit, each with the minimum sample
 * and on the 99% bound, and is breached when one of them is: a regression that starts inside the window is then
 * decided once its own reports suffice, not once they outnumber the healthy ones before them.
 * Of several fired triggers the most severe action wins (rollback, then step-back, then pause; ties: the first
 * listed), mapped to what the state machine allows: a COMPLETED rollout can only roll back; a step-back at the
 * first step escalates to rollback; a pause of a paused rollout does nothing.
 *
 * <h2>Advancing</h2>
 * An ACTIVE rollout, with no trigger fired and none breached (a breach on its way to firing holds the rollout
 * rather than exposing more sessions), advances when every exit gate of the current step and every entry gate
 * of the next pass (at the last step: the exit gates alone, and advancing completes the rollout): ADVANCE with
 * auto-advance, else MARK_READY for an operator.
 */
public final class RolloutEngine {

    /** How much of a plan's description a reason quotes; the journal's results carry it whole. */
    static final int MAX_DESCRIPTION_IN_REASON = 80;
    /** How many triggers a reason names before "and N more". */
    static final int MAX_ITEMS_IN_REASON = 3;

    private RolloutEngine() {
    }

    /**
     * The statistics {@link #evaluate} looks up: the metric gates among the current step's exit gates and the next
     * step's entry gates (bounded by the step), every trigger (not bounded), the legacy-path twin of each
     * condition relative to {@code legacy} or {@code baseline}, for a trigger relative to {@code baseline} the two
     * windows its own history is read from ({@link OwnHistory}), and for a rate trigger the newest stretches of its
     * window ({@link NewestStretches}). Iteration order is stable.
     */
    public static Set<StatKey> requiredStats(Rollout rollout) {
        Set<StatKey> keys = new LinkedHashSet<>();
        List<Gate> gates = new ArrayList<>(rollout.currentStep().exitGates());
        rollout.nextStep().ifPresent(next -> gates.addAll(next.entryGates()));
        for (Gate gate : gates) {
            if (gate instanceof Gate.MetricGate metric) {
                addWithTwin(keys, metric.condition(), true);
            }
        }
        for (Trigger trigger : rollout.plan().triggers()) {
            addWithTwin(keys, trigger.condition(), false);
            if (OwnHistory.applies(trigger.condition())) {
                keys.addAll(OwnHistory.keys(trigger.condition()));
            }
            if (NewestStretches.applies(trigger.condition())) {
                keys.addAll(NewestStretches.keys(trigger.condition()));
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    private static void addWithTwin(Set<StatKey> keys, MetricCondition condition, boolean boundedByStep) {
        StatKey key = StatKey.of(condition, boundedByStep);
        keys.add(key);
        if (condition.relativeTo() != null) {
            keys.add(key.onPath(Reading.LEGACY));
        }
    }

    /**
     * The statistics {@link #baselineFrom} prefers: for each metric used relative to {@code baseline} anywhere in the
     * plan, the new path over the whole step being left ({@code window} null, bounded by the step). Gather them when
     * the rollout leaves a step.
     */
    public static Set<StatKey> baselineStats(Rollout rollout) {
        Set<StatKey> keys = new LinkedHashSet<>();
        baselineMetrics(rollout).forEach((metricKey, condition) ->
                keys.add(new StatKey(condition.metric(), condition.category(), "new", null, true)));
        return Collections.unmodifiableSet(keys);
    }

    /**
     * The values to capture as the baseline when leaving a step: for each metric used relative to {@code baseline}
     * anywhere in the plan, the new-path figure of the step being left, keyed as in
     * {@link EvaluationInput#capturedBaseline()}. The figure comes from the new-path statistic of that metric in
     * {@code stats} with the most of the step in it: bounded by the step before not, the whole step ({@code window}
     * null, see {@link #baselineStats}) before the longest window. A statistic qualifies only with at least the
     * largest {@code max(minSamples, 1)} of the metric's baseline conditions, so a noisy handful of samples never
     * becomes the yardstick; a metric with no qualifying statistic is left out (the previous baseline stays).
     * Rates are captured as {@code events / samples}.
     */
    public static Map<String, Double> baselineFrom(Rollout rollout, Map<StatKey, Observation> stats) {
        Map<String, Double> baseline = new LinkedHashMap<>();
        Map<String, Long> required = new LinkedHashMap<>();
        allConditions(rollout).stream()
                .filter(condition -> Reading.BASELINE.equals(condition.relativeTo()))
                .forEach(condition -> required.merge(
                        StatKey.metricKey(condition.metric(), condition.category()), Math.max(condition.minSamples(), 1), Math::max));
        Comparator<StatKey> preference = Comparator
                .comparing((StatKey key) -> !key.boundedByStep())
                .thenComparing(key -> key.window() != null)
                .thenComparing(key -> key.window() == null ? Duration.ZERO : key.window(), Comparator.reverseOrder());
        baselineMetrics(rollout).forEach((metricKey, condition) -> stats.entrySet().stream()
                .filter(entry -> entry.getKey().metricKey().equals(metricKey) && entry.getKey().path().equals("new"))
                .filter(entry -> entry.getValue().samples() >= required.get(metricKey))
                .filter(entry -> Double.isFinite(Reading.point(condition.metric(), entry.getValue())))
                .min(Map.Entry.comparingByKey(preference))
                .ifPresent(entry -> baseline.put(metricKey, Reading.point(condition.metric(), entry.getValue()))));
        return Collections.unmodifiableMap(baseline);
    }

    /** Metric key → the first condition relative to baseline that uses it, in plan order. */
    private static Map<String, MetricCondition> baselineMetrics(Rollout rollout) {
        Map<String, MetricCondition> metrics = new LinkedHashMap<>();
        for (MetricCondition condition : allConditions(rollout)) {
            if (Reading.BASELINE.equals(condition.relativeTo())) {
                metrics.putIfAbsent(StatKey.metricKey(condition.metric(), condition.category()), condition);
            }
        }
        return metrics;
    }

    private static List<MetricCondition> allConditions(Rollout rollout) {
        List<MetricCondition> conditions = new ArrayList<>();
        for (Step step : rollout.plan().steps()) {
            for (List<Gate> gates : List.of(step.entryGates(), step.exitGates())) {
                for (Gate gate : gates) {
                    if (gate instanceof Gate.MetricGate metric) {
                        conditions.add(metric.condition());
                    }
                }
            }
        }
        rollout.plan().triggers().forEach(trigger -> conditions.add(trigger.condition()));
        return conditions;
    }

    /**
     * The entry gates of the first step, which guard starting the rollout rather than advancing it (for example the
     * checklist's canary entry: canary list not empty, sign-off devops). Judged like any entry gate; a metric gate
     * among them reads the statistics under the same keys as an exit gate would.
     */
    public static List<GateResult> startGates(EvaluationInput input) {
        Step first = input.rollout().plan().steps().get(0);
        return judgeAll(first, GateResult.ENTRY, input).stream().map(Judged::result).toList();
    }

    /** One evaluation pass; see the class comment for the rules. */
    public static Decision evaluate(EvaluationInput input) {
        Rollout rollout = input.rollout();
        Step current = rollout.currentStep();
        Optional<Step> next = rollout.nextStep();

        String unwatched = unwatchedBecause(input);
        List<TriggerResult> triggerResults = new ArrayList<>();
        Map<Integer, Integer> streaks = new TreeMap<>();
        List<Trigger> planTriggers = rollout.plan().triggers();
        for (int i = 0; i < planTriggers.size(); i++) {
            TriggerResult judged = trigger(i, planTriggers.get(i), unwatched, input);
            triggerResults.add(judged);
            streaks.put(i, judged.streak());
        }

        List<Judged> exit = judgeAll(current, GateResult.EXIT, input);
        List<Judged> entry = next.map(step -> judgeAll(step, GateResult.ENTRY, input)).orElse(List.of());
        List<GateResult> exitResults = exit.stream().map(Judged::result).toList();
        List<GateResult> entryResults = entry.stream().map(Judged::result).toList();

        List<TriggerResult> fired = triggerResults.stream().filter(TriggerResult::fired).toList();
        if (!fired.isEmpty()) {
            return acted(rollout, fired, exitResults, entryResults, triggerResults, streaks);
        }

        if (rollout.status() != RolloutStatus.ACTIVE) {
            return new Decision(EngineAction.NONE, notActive(input, unwatched, triggerResults), exitResults, entryResults,
                    triggerResults, streaks, false);
        }
        List<Judged> all = new ArrayList<>(exit);
        all.addAll(entry);
        List<String> pending = labels(all, Verdict.PENDING);
        List<String> failing = labels(all, Verdict.FAIL);
        boolean breached = triggerResults.stream().anyMatch(TriggerResult::breached);
        EngineAction action = EngineAction.NONE;
        String reason;
        if (pending.isEmpty() && failing.isEmpty() && !breached) {
            String passed = "every gate passes (" + Format.plural(exit.size(), "exit gate", "exit gates") + " of " + current.name()
                    + next.map(step -> ", " + Format.plural(entry.size(), "entry gate", "entry gates") + " of " + step.name()).orElse("")
                    + ")";
            String target = next.map(step -> step.name() + " (" + step.percentage() + "%)").orElse(null);
            if (rollout.autoAdvance()) {
                action = EngineAction.ADVANCE;
                reason = passed + (target == null ? ": complete the rollout" : ": advance to " + target);
            } else {
                action = EngineAction.MARK_READY;
                reason = passed + (target == null ? ": ready to complete" : ": ready to advance to " + target)
                        + ", waiting for an operator (auto-advance is off)";
            }
        } else if (pending.isEmpty() && failing.isEmpty()) {
            reason = "holding at " + current.name() + ": every gate passes, but" + breachSuffix(triggerResults).substring(1);
        } else {
            List<String> parts = new ArrayList<>();
            if (!pending.isEmpty()) {
                parts.add(Format.plural(pending.size(), "gate", "gates") + " pending (" + String.join(", ", pending) + ")");
            }
            if (!failing.isEmpty()) {
                parts.add(failing.size() + " failing (" + String.join(", ", failing) + ")");
            }
            reason = "holding at " + current.name() + ": " + String.join(", ", parts) + breachSuffix(triggerResults);
        }
        return new Decision(action, reason, exitResults, entryResults, triggerResults, streaks, action == EngineAction.MARK_READY);
    }

    /** Why an evaluation of a rollout that is not ACTIVE does nothing (when no trigger fired). */
    private static String notActive(EvaluationInput input, String unwatched, List<TriggerResult> triggers) {
        Rollout rollout = input.rollout();
        return switch (rollout.status()) {
            case DRAFT -> "draft: nothing is acted on until the rollout is started";
            case ROLLED_BACK -> "rolled back: nothing is acted on until the rollout is restarted";
            case PAUSED -> "paused at " + rollout.currentStep().name() + ": gates are not acted on until the rollout is resumed"
                    + breachSuffix(triggers);
            case COMPLETED -> unwatched == null
                    ? "completed: triggers watched for another "
                            + Format.duration(input.watchPeriod().minus(Duration.between(rollout.updatedAt(), input.now())))
                            + breachSuffix(triggers)
                    : "completed: the watch period of " + Format.duration(input.watchPeriod()) + " is over";
            case ACTIVE -> throw new IllegalArgumentException("an active rollout is judged on its gates");
        };
    }

    // ---- triggers -------------------------------------------------------------------------------------------

    /** Null while triggers are watched, else why not. */
    private static String unwatchedBecause(EvaluationInput input) {
        Rollout rollout = input.rollout();
        return switch (rollout.status()) {
            case ACTIVE, PAUSED -> null;
            case COMPLETED -> Duration.between(rollout.updatedAt(), input.now()).compareTo(input.watchPeriod()) < 0
                    ? null
                    : "completed, watch period over";
            case DRAFT -> "draft";
            case ROLLED_BACK -> "rolled back";
        };
    }

    private static TriggerResult trigger(int index, Trigger trigger, String unwatched, EvaluationInput input) {
        MetricCondition condition = trigger.condition();
        Reading reading = Reading.of(condition, false, input);
        List<Reading> references = new ArrayList<>(2);
        references.add(reading);
        if (!reading.fromLegacy() && OwnHistory.applies(condition)) {
            Reading own = Reading.againstOwnHistory(condition, input);
            if (own.judgeable() && (!reading.judgeable() || triggerHolds(own) && !triggerHolds(reading))) {
                reading = own;
            }
            references.add(own);
        }
        if (reading.judgeable() && !triggerHolds(reading) && NewestStretches.applies(condition)) {
            reading = newestStretchBreached(references, NewestStretches.keys(condition), input).orElse(reading);
        }
        boolean holds = reading.judgeable() && triggerHolds(reading);
        boolean breached = unwatched == null && holds;
        int previous = Math.max(0, input.previousStreaks().getOrDefault(index, 0));
        int streak = breached ? (previous == Integer.MAX_VALUE ? previous : previous + 1) : 0;
        boolean fired = breached && streak >= trigger.consecutive();

        String detail;
        if (!reading.judgeable()) {
            detail = reading.subject() + ": " + reading.missing() + ", so it cannot breach";
        } else {
            String bound = reading.rate() ? reading.boundFor() : null;
            detail = reading.subject() + " " + reading.seen(bound) + (holds ? " " : ", not ") + reading.needs();
        }
        if (unwatched != null) {
            detail = "not watched (" + unwatched + "): " + detail;
        } else if (breached && !fired) {
            detail += " (" + streak + " of " + trigger.consecutive() + " consecutive evaluations)";
        }
        return new TriggerResult(index, condition.metric(), trigger.description(), breached, streak,
                trigger.consecutive(), reading.observed(), reading.threshold(), reading.samples(), trigger.action(), fired, detail);
    }

    /** The first of the newest stretches, longest first, that breaches against one of the window's references. */
    private static Optional<Reading> newestStretchBreached(List<Reading> references, List<StatKey> stretches, EvaluationInput input) {
        for (StatKey stretch : stretches) {
            for (Reading reference : references) {
                if (reference.judgeable()) {
                    Reading part = reference.over(stretch, input);
                    if (part.judgeable() && triggerHolds(part)) {
                        return Optional.of(part);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Rates need the evidence beyond the limit: the lower bound over it, or the upper bound under it. */
    private static boolean triggerHolds(Reading reading) {
        double limit = reading.limit();
        if (!reading.rate()) {
            return reading.op().test(reading.point(), limit);
        }
        return switch (reading.op()) {
            case GT, GE -> reading.op().test(reading.lower(), limit);
            case LT, LE -> reading.op().test(reading.upper(), limit);
            case EQ -> reading.point() == limit;
        };
    }

    private static int severity(TriggerAction action) {
        return switch (action) {
            case ROLLBACK -> 0;
            case STEP_BACK -> 1;
            case PAUSE -> 2;
        };
    }

    private static Decision acted(Rollout rollout, List<TriggerResult> fired, List<GateResult> exit, List<GateResult> entry,
            List<TriggerResult> triggers, Map<Integer, Integer> streaks) {
        TriggerResult winner = fired.stream()
                .min(Comparator.comparingInt((TriggerResult t) -> severity(t.action())).thenComparingInt(TriggerResult::index))
                .orElseThrow();
        EngineAction action;
        String outcome;
        if (rollout.status() == RolloutStatus.COMPLETED) {
            action = EngineAction.ROLLBACK;
            outcome = winner.action() == TriggerAction.ROLLBACK
                    ? "roll back (completed, within the watch period)"
                    : "roll back: a completed rollout within its watch period can only roll back (trigger action "
                            + winner.action().wireName() + ")";
        } else {
            switch (winner.action()) {
                case ROLLBACK -> {
                    action = EngineAction.ROLLBACK;
                    outcome = "roll back";
                }
                case STEP_BACK -> {
                    if (rollout.stepIndex() == 0) {
                        action = EngineAction.ROLLBACK;
                        outcome = "step-back at the first step (" + rollout.currentStep().name() + ") escalates to rollback";
                    } else {
                        action = EngineAction.STEP_BACK;
                        outcome = "step back to " + rollout.plan().steps().get(rollout.stepIndex() - 1).name();
                    }
                }
                default -> {
                    if (rollout.status() == RolloutStatus.PAUSED) {
                        action = EngineAction.NONE;
                        outcome = "pause, but the rollout is already paused";
                    } else {
                        action = EngineAction.PAUSE;
                        outcome = "pause";
                    }
                }
            }
        }
        String reason = "trigger breached: " + winner.detail() + " for "
                + Format.plural(winner.streak(), "consecutive evaluation", "consecutive evaluations")
                + " (" + Format.clip(winner.description(), MAX_DESCRIPTION_IN_REASON) + "): " + outcome;
        List<TriggerResult> others = fired.stream().filter(t -> t != winner).toList();
        if (!others.isEmpty()) {
            reason += "; also fired: " + summarised(others.stream().map(TriggerResult::description).toList());
        }
        return new Decision(action, reason, exit, entry, triggers, streaks, false);
    }

    private static String breachSuffix(List<TriggerResult> triggers) {
        List<String> breached = triggers.stream().filter(t -> t.breached() && !t.fired())
                .map(t -> "trigger \"" + Format.clip(t.description(), MAX_DESCRIPTION_IN_REASON) + "\" breached ("
                        + t.streak() + " of " + t.consecutive() + ")")
                .toList();
        return breached.isEmpty() ? "" : "; " + summarised(breached);
    }

    /**
     * The first few items, each clipped, and how many more: a plan may list 50 triggers with 500-character
     * descriptions, and the journal's full results keep every one of them anyway.
     */
    private static String summarised(List<String> items) {
        List<String> shown = items.stream().limit(MAX_ITEMS_IN_REASON).map(i -> Format.clip(i, MAX_DESCRIPTION_IN_REASON)).toList();
        String more = items.size() > shown.size() ? " and " + (items.size() - shown.size()) + " more" : "";
        return String.join(", ", shown) + more;
    }

    // ---- gates ----------------------------------------------------------------------------------------------

    /** A gate's result and a few words for the reason line. */
    private record Judged(GateResult result, String label) {
    }

    private static List<String> labels(List<Judged> judged, Verdict verdict) {
        return judged.stream().filter(j -> j.result().verdict() == verdict).map(Judged::label).toList();
    }

    private static List<Judged> judgeAll(Step owner, String phase, EvaluationInput input) {
        List<Gate> gates = phase.equals(GateResult.EXIT) ? owner.exitGates() : owner.entryGates();
        List<Judged> judged = new ArrayList<>();
        for (int i = 0; i < gates.size(); i++) {
            judged.add(judge(gates.get(i), owner, phase, i, input));
        }
        return judged;
    }

    private static Judged judge(Gate gate, Step owner, String phase, int index, EvaluationInput input) {
        String labelSuffix = phase.equals(GateResult.ENTRY) ? " for " + owner.name() : "";
        if (gate instanceof Gate.Soak) {
            return soak(gate, owner, phase, index, input, labelSuffix);
        }
        if (gate instanceof Gate.SignOff signOff) {
            boolean signed = input.signOffs().getOrDefault(owner.name(), Set.of()).contains(signOff.role());
            String detail = signed
                    ? signOff.role() + " signed off " + owner.name()
                    : "waiting for " + signOff.role() + " to sign off " + owner.name();
            return new Judged(result(gate, owner, phase, index, signed ? Verdict.PASS : Verdict.PENDING, null, null, null, detail),
                    "sign-off " + signOff.role() + labelSuffix);
        }
        if (gate instanceof Gate.Smoke smoke) {
            return smoke(smoke, owner, phase, index, input, labelSuffix);
        }
        if (gate instanceof Gate.Condition condition) {
            return condition(condition, owner, phase, index, input, labelSuffix);
        }
        return metric((Gate.MetricGate) gate, owner, phase, index, input, labelSuffix);
    }

    private static GateResult result(Gate gate, Step owner, String phase, int index, Verdict verdict, Double observed,
            Double threshold, Long samples, String detail) {
        return new GateResult(owner.name(), phase, index, gate.kind(), gate.description(), verdict, observed, threshold, samples, detail);
    }

    private static Judged soak(Gate gate, Step owner, String phase, int index, EvaluationInput input, String labelSuffix) {
        Rollout rollout = input.rollout();
        Duration elapsed = Duration.between(rollout.stepEnteredAt(), input.now());
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO;
        }
        Duration soak = owner.soak();
        boolean done = elapsed.compareTo(soak) >= 0;
        String detail = "in " + rollout.currentStep().name() + " for " + Format.duration(elapsed) + " of a " + Format.duration(soak)
                + " soak" + (done ? "" : " (" + Format.duration(soak.minus(elapsed)) + " to go)");
        return new Judged(result(gate, owner, phase, index, done ? Verdict.PASS : Verdict.PENDING,
                elapsed.toMillis() / 1000.0, soak.toMillis() / 1000.0, null, detail),
                "soak " + Format.duration(elapsed) + " of " + Format.duration(soak) + labelSuffix);
    }

    private static Judged smoke(Gate.Smoke smoke, Step owner, String phase, int index, EvaluationInput input, String labelSuffix) {
        List<String> failed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int passed = 0;
        for (String check : smoke.checks()) {
            SmokeResult latest = input.latestSmoke().get(check);
            if (latest == null || latest.at().isBefore(input.rollout().stepEnteredAt())) {
                missing.add(check);
            } else if (latest.passed()) {
                passed++;
            } else {
                failed.add(check);
            }
        }
        int total = smoke.checks().size();
        Verdict verdict = !failed.isEmpty() ? Verdict.FAIL : !missing.isEmpty() ? Verdict.PENDING : Verdict.PASS;
        List<String> parts = new ArrayList<>();
        parts.add(passed + " of " + total + " checks passed");
        if (!failed.isEmpty()) {
            parts.add("failed: " + String.join(", ", failed));
        }
        if (!missing.isEmpty()) {
            parts.add("no result since the step was entered: " + String.join(", ", missing));
        }
        String label = !failed.isEmpty() ? "smoke failed: " + String.join(", ", failed)
                : "smoke without a result: " + String.join(", ", missing);
        return new Judged(result(smoke, owner, phase, index, verdict, (double) passed, (double) total,
                (long) (total - missing.size()), String.join("; ", parts)), label + labelSuffix);
    }

    private static Judged condition(Gate.Condition condition, Step owner, String phase, int index, EvaluationInput input,
            String labelSuffix) {
        if (condition.condition().equals("canary-list-not-empty")) {
            int size = input.rollout().canarySessions().size();
            boolean ok = size > 0;
            String detail = ok ? Format.plural(size, "canary session", "canary sessions") + " listed" : "the canary list is empty";
            return new Judged(result(condition, owner, phase, index, ok ? Verdict.PASS : Verdict.FAIL, (double) size, null, null, detail),
                    "canary list empty" + labelSuffix);
        }
        return new Judged(result(condition, owner, phase, index, Verdict.FAIL, null, null, null,
                "unknown condition " + condition.condition()), "unknown condition " + condition.condition() + labelSuffix);
    }

    private static Judged metric(Gate.MetricGate gate, Step owner, String phase, int index, EvaluationInput input, String labelSuffix) {
        Reading reading = Reading.of(gate.condition(), true, input);
        if (!reading.judgeable()) {
            String needs = reading.needs();
            String detail = reading.subject() + ": " + reading.missing() + (needs.isEmpty() ? "" : "; needs " + needs);
            return new Judged(result(gate, owner, phase, index, Verdict.PENDING, reading.observed(), reading.threshold(),
                    reading.samples(), detail), reading.name() + " " + reading.missingShort() + labelSuffix);
        }
        String bound = reading.rate() ? reading.boundFor() : null;
        Verdict verdict = gateVerdict(reading);
        String seen = reading.seen(bound);
        String detail = switch (verdict) {
            case PASS -> reading.subject() + " " + seen + " " + reading.needs();
            case FAIL -> reading.subject() + " " + seen + ", not " + reading.needs();
            case PENDING -> reading.subject() + " " + seen + ": not yet confidently " + reading.needs()
                    + ", more " + Format.unit(reading.condition().metric()) + " needed";
        };
        String shortSeen = reading.rate() ? Format.percent(reading.point()) : Format.value(reading.condition().metric(), reading.point());
        if (verdict == Verdict.PENDING) {
            shortSeen += " (" + bound + " bound " + Format.percent(bound.equals("upper") ? reading.upper() : reading.lower()) + ")";
        }
        return new Judged(result(gate, owner, phase, index, verdict, reading.observed(), reading.threshold(), reading.samples(), detail),
                reading.name() + " " + shortSeen + " vs " + reading.needs() + labelSuffix);
    }

    /**
     * Non-rates: the point value meets the comparison or not. Rates: PASS only when the relevant Wilson bound meets
     * it, FAIL when the point estimate does not, PENDING in between; {@code =} compares the point estimate.
     */
    private static Verdict gateVerdict(Reading reading) {
        double limit = reading.limit();
        double point = reading.point();
        if (!reading.rate()) {
            return reading.op().test(point, limit) ? Verdict.PASS : Verdict.FAIL;
        }
        return switch (reading.op()) {
            case EQ -> point == limit ? Verdict.PASS : Verdict.FAIL;
            case LT, LE -> reading.op().test(reading.upper(), limit) ? Verdict.PASS
                    : reading.op().test(point, limit) ? Verdict.PENDING : Verdict.FAIL;
            case GT, GE -> reading.op().test(reading.lower(), limit) ? Verdict.PASS
                    : reading.op().test(point, limit) ? Verdict.PENDING : Verdict.FAIL;
        };
    }
}
