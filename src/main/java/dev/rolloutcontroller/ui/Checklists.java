package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.domain.evaluation.Wilson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the engine's gate and trigger results into checklist lines, in the plan's (the checklist's) words. */
final class Checklists {

    private static final Set<String> RATES = Set.of("error_rate", "shadow_mismatch_rate");

    private Checklists() {
    }

    static List<ChecklistItem> gates(Plan plan, List<GateResult> results, String section) {
        return results.stream().map(result -> gate(plan, result, section)).toList();
    }

    static ChecklistItem gate(Plan plan, GateResult result, String section) {
        String verdict = switch (result.verdict()) {
            case PASS -> "passed";
            case FAIL -> "failing";
            case PENDING -> "pending";
        };
        Optional<Gate> gate = gateOf(plan, result);
        String metric = gate.filter(Gate.MetricGate.class::isInstance)
                .map(g -> ((Gate.MetricGate) g).condition().metric()).orElse(result.kind());
        String value;
        String threshold;
        switch (result.kind()) {
            case Gate.SOAK -> {
                value = Figures.value("soak", result.observed());
                threshold = Figures.value("soak", result.threshold());
            }
            case Gate.SMOKE -> {
                value = result.observed() == null ? "" : Figures.number(result.observed()) + " passed";
                threshold = result.threshold() == null ? "" : Figures.number(result.threshold()) + " checks";
            }
            case Gate.CONDITION -> {
                value = result.observed() == null ? "" : Figures.number(result.observed()) + " sessions";
                threshold = "at least 1";
            }
            case Gate.METRIC -> {
                Comparison op = gate.map(g -> ((Gate.MetricGate) g).condition().op()).orElse(null);
                value = Figures.value(metric, result.observed());
                threshold = result.threshold() == null ? "" : symbol(op) + " " + Figures.value(metric, result.threshold());
            }
            default -> {
                value = "";
                threshold = "";
            }
        }
        Comparison op = gate.filter(Gate.MetricGate.class::isInstance)
                .map(g -> ((Gate.MetricGate) g).condition().op()).orElse(null);
        return ChecklistItem.of(section, result.description(), kindLabel(result.kind()), verdict, value, threshold,
                result.samples() == null ? "" : Long.toString(result.samples()),
                bound(metric, op, result.observed(), result.samples()), result.detail());
    }

    static List<ChecklistItem> triggers(Plan plan, List<TriggerResult> results) {
        List<ChecklistItem> items = new ArrayList<>();
        for (TriggerResult result : results) {
            Comparison op = result.index() < plan.triggers().size() ? plan.triggers().get(result.index()).condition().op() : null;
            String verdict = result.breached() ? "breached" : result.observed() == null ? "pending" : "passed";
            items.add(ChecklistItem.of("Rollback triggers", result.description(), "trigger: " + result.action().name().toLowerCase().replace('_', ' '),
                    verdict, Figures.value(result.metric(), result.observed()),
                    result.threshold() == null ? "" : symbol(op) + " " + Figures.value(result.metric(), result.threshold()),
                    result.samples() == null ? "" : Long.toString(result.samples()),
                    bound(result.metric(), op, result.observed(), result.samples()), result.detail()));
        }
        return items;
    }

    /**
     * The first step's entry gates while the rollout is a draft, judged as start judges them: sign-offs
     * given, the canary list not empty. Other kinds are judged when start is pressed.
     */
    static List<ChecklistItem> startGates(Rollout rollout, Map<String, Set<String>> signedByStep) {
        Step step = rollout.currentStep();
        String section = "Before entering " + step.name();
        List<ChecklistItem> items = new ArrayList<>();
        for (Gate gate : step.entryGates()) {
            if (gate instanceof Gate.SignOff signOff) {
                boolean signed = signedByStep.getOrDefault(step.name(), Set.of()).contains(signOff.role());
                items.add(ChecklistItem.of(section, gate.description(), kindLabel(gate.kind()), signed ? "passed" : "pending",
                        signed ? "signed" : "not signed", signOff.role() + " signs", "", "",
                        signed ? signOff.role() + " has signed off" : "waiting for " + signOff.role() + " to sign off"));
            } else if (gate instanceof Gate.Condition) {
                int size = rollout.canarySessions().size();
                items.add(ChecklistItem.of(section, gate.description(), kindLabel(gate.kind()), size > 0 ? "passed" : "failing",
                        size + " sessions", "at least 1", "", "",
                        size > 0 ? size + " canary sessions listed" : "the canary list is empty"));
            } else {
                items.add(ChecklistItem.of(section, gate.description(), kindLabel(gate.kind()), "pending", "", "", "", "",
                        "judged when the rollout starts"));
            }
        }
        return items;
    }

    /** Not judged yet: a step ahead, listed in its own words. */
    static List<ChecklistItem> unjudged(Step step) {
        List<ChecklistItem> items = new ArrayList<>();
        step.entryGates().forEach(g -> items.add(ChecklistItem.of("Before entering " + step.name(), g.description(),
                kindLabel(g.kind()), "pending", "", "", "", "", "not judged yet")));
        step.exitGates().forEach(g -> items.add(ChecklistItem.of("Before leaving " + step.name(), g.description(),
                kindLabel(g.kind()), "pending", "", "", "", "", "not judged yet")));
        return items;
    }

    static String kindLabel(String kind) {
        return switch (kind) {
            case Gate.SOAK -> "soak time";
            case Gate.SIGN_OFF -> "sign-off";
            case Gate.METRIC -> "metric";
            case Gate.SMOKE -> "smoke tests";
            case Gate.CONDITION -> "condition";
            default -> kind;
        };
    }

    /** The 95% Wilson bound a rate verdict rests on: the upper one under a limit, the lower one over it. */
    static String bound(String metric, Comparison op, Double observed, Long samples) {
        if (!RATES.contains(metric) || op == null || op == Comparison.EQ || observed == null || observed.isNaN()
                || samples == null || samples == 0) {
            return "";
        }
        long events = Math.round(observed * samples);
        boolean under = op == Comparison.LT || op == Comparison.LE;
        double bound = under ? Wilson.upper(events, samples) : Wilson.lower(events, samples);
        return (under ? "upper " : "lower ") + Figures.percent(bound);
    }

    static String symbol(Comparison op) {
        if (op == null) {
            return "";
        }
        return switch (op) {
            case LT -> "<";
            case LE -> "≤";
            case GT -> ">";
            case GE -> "≥";
            case EQ -> "=";
        };
    }

    private static Optional<Gate> gateOf(Plan plan, GateResult result) {
        return plan.steps().stream().filter(s -> s.name().equals(result.step())).findFirst()
                .map(s -> GateResult.EXIT.equals(result.phase()) ? s.exitGates() : s.entryGates())
                .filter(gates -> result.index() < gates.size())
                .map(gates -> gates.get(result.index()));
    }
}
