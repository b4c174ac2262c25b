package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.domain.evaluation.EngineAction;
import dev.rolloutcontroller.domain.evaluation.EvaluationInput;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.RolloutEngine;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.domain.evaluation.Verdict;
import dev.rolloutcontroller.service.GateCheck;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The gates of an operator's start and advance, judged by the engine on the data as it stands. */
@ApplicationScoped
public class OperatorGates implements GateCheck {

    private final EvaluationInputs inputs;
    private final Clock clock;

    OperatorGates(EvaluationInputs inputs, Clock clock) {
        this.inputs = inputs;
        this.clock = clock;
    }

    @Override
    public void requireStartGates(Rollout draft) {
        List<GateResult> notPassed = RolloutEngine.startGates(inputs.gather(draft, clock.instant())).stream()
                .filter(g -> g.verdict() != Verdict.PASS).toList();
        if (!notPassed.isEmpty()) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, notPassed.size() + " entry gate(s) of step '"
                    + draft.currentStep().name() + "' have not passed; satisfy them, or send "
                    + "{\"force\": true, \"reason\": \"...\"} to override").with("gates", notPassed);
        }
    }

    @Override
    public Map<String, Double> requireAdvanceGates(Rollout active, boolean force) {
        EvaluationInput input = inputs.gather(active, clock.instant());
        Decision decision = RolloutEngine.evaluate(input);
        EngineAction action = decision.action();
        if (action == EngineAction.ROLLBACK || action == EngineAction.STEP_BACK || action == EngineAction.PAUSE) {
            throw new ServiceException(ServiceException.Kind.CONFLICT,
                    "cannot advance while a trigger is breached: " + decision.reason())
                    .with("triggers", decision.triggers().stream().filter(TriggerResult::fired).toList());
        }
        List<GateResult> notPassed = Stream.concat(decision.exitGates().stream(), decision.entryGates().stream())
                .filter(g -> g.verdict() != Verdict.PASS).toList();
        if (!notPassed.isEmpty() && !force) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, notPassed.size()
                    + " gate(s) have not passed; wait for them, or send {\"force\": true, \"reason\": \"...\"} to override")
                    .with("gates", notPassed);
        }
        return RolloutEngine.baselineFrom(active, input.stats());
    }
}
