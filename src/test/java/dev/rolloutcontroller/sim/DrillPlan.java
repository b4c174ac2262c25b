package dev.rolloutcontroller.sim;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.GateSpec;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.domain.StepSpec;
import dev.rolloutcontroller.domain.TriggerSpec;

import java.time.Duration;
import java.util.List;

/**
 * The checklist's own plan ({@link Plan#checklist}) with time compressed for a drill: every soak becomes
 * {@code soak}, and the hour-long gate windows and ten-minute trigger windows become {@code window}. Gates,
 * thresholds, minimum samples, consecutive counts and actions stay exactly the checklist's.
 */
final class DrillPlan {

    private static final Duration CHECKLIST_TRIGGER_WINDOW = Duration.ofMinutes(10);

    private DrillPlan() {
    }

    /** @param signOffs false drops the sign-off gates, for a rollout that should run by itself */
    static PlanSpec spec(Duration soak, Duration window, boolean signOffs) {
        PlanSpec checklist = PlanSpecs.fromPlan(Plan.checklist(false));
        List<StepSpec> steps = checklist.steps().stream()
                .map(step -> new StepSpec(step.name(), step.percentage(), soak.toString(), step.shadow(),
                        gates(step.entryGates(), window, signOffs), gates(step.exitGates(), window, signOffs)))
                .toList();
        List<TriggerSpec> triggers = checklist.triggers().stream()
                .map(t -> CHECKLIST_TRIGGER_WINDOW.toString().equals(t.window())
                        ? new TriggerSpec(t.metric(), t.category(), t.path(), t.op(), t.threshold(), t.relativeTo(), t.factor(),
                                t.offset(), t.minSamples(), t.consecutive(), window.toString(), t.action(), t.description())
                        : t)
                .toList();
        return new PlanSpec(steps, triggers);
    }

    private static List<GateSpec> gates(List<GateSpec> gates, Duration window, boolean signOffs) {
        return gates.stream()
                .filter(g -> signOffs || !g.kind().equals(Gate.SIGN_OFF))
                .map(g -> g.window() == null ? g
                        : new GateSpec(g.kind(), g.description(), g.role(), g.metric(), g.category(), g.path(), g.op(), g.threshold(),
                                g.relativeTo(), g.factor(), g.offset(), g.minSamples(), window.toString(), g.checks(), g.condition()))
                .toList();
    }

    /** Prints the plan as JSON: {@code DrillPlan <soak seconds> <window seconds> [--no-sign-offs]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DrillPlan <soak seconds> <window seconds> [--no-sign-offs]");
            System.exit(2);
        }
        PlanSpec spec = spec(Duration.ofSeconds(Long.parseLong(args[0])), Duration.ofSeconds(Long.parseLong(args[1])),
                !List.of(args).contains("--no-sign-offs"));
        System.out.println(SimHttp.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(spec));
    }
}
