package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvViewTest {

    private static final List<String> CANARY = List.of("session-8", "pm-1");

    /** Steps of {@link Fixtures#everyKindOfStep()}: 0 shadow, 1 dark 0%, 2 canary 10%, 3 half 50%, 4 full 100%. */
    @ParameterizedTest(name = "{0} at step {1} -> {2}, {3}%, shadow {4}")
    @CsvSource({
            "DRAFT,       2, false,  0,   false",
            "ACTIVE,      0, false,  0,   true",
            "PAUSED,      0, false,  0,   true",
            "ACTIVE,      1, canary, 0,   false",
            "ACTIVE,      2, canary, 10,  false",
            "PAUSED,      2, canary, 10,  false",
            "ACTIVE,      3, canary, 50,  false",
            "ACTIVE,      4, true,   100, false",
            "PAUSED,      4, true,   100, false",
            "COMPLETED,   4, true,   100, false",
            "ROLLED_BACK, 3, false,  0,   false",
            "ROLLED_BACK, 0, false,  0,   false",
    })
    void shouldExportTheFleetViewInTheChecklistsVariables(
            RolloutStatus status, int stepIndex, String flag, int percentage, boolean shadow) {
        Rollout rollout = Fixtures.rollout(Fixtures.everyKindOfStep(), status, stepIndex, CANARY);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR", flag);
        expected.put("TMUX_ORCHESTRATOR_CANARY_SESSIONS", "session-8,pm-1");
        expected.put("TMUX_ORCHESTRATOR_ROLLOUT_PERCENTAGE", String.valueOf(percentage));
        expected.put("TMUX_ORCHESTRATOR_SHADOW_MODE", String.valueOf(shadow));
        Map<String, String> fleet = EnvView.fleet(rollout);
        assertEquals(expected, fleet);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(fleet.keySet()), "variables in the checklist's order");
    }

    @ParameterizedTest(name = "{0} at step {1}, {2} -> {3}")
    @CsvSource({
            "DRAFT,       4, session-95,  false",
            "ACTIVE,      0, session-8,   false",
            "ACTIVE,      2, session-8,   true",
            "ACTIVE,      2, session-218, true",
            "ACTIVE,      2, session-1,   false",
            "PAUSED,      3, session-94,  true",
            "PAUSED,      3, session-95,  false",
            "ACTIVE,      4, session-95,  true",
            "COMPLETED,   4, session-1,   true",
            "ROLLED_BACK, 4, session-8,   false",
    })
    void shouldResolveTheFlagForOneSession(RolloutStatus status, int stepIndex, String sessionId, String flag) {
        Rollout rollout = Fixtures.rollout(Fixtures.everyKindOfStep(), status, stepIndex, CANARY);
        FlagDecision decision = FlagRules.decide(rollout, Set.copyOf(CANARY), sessionId);

        Map<String, String> expected = new LinkedHashMap<>(EnvView.fleet(rollout));
        expected.put("TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR", flag);
        Map<String, String> session = EnvView.forSession(rollout, decision);
        assertEquals(expected, session);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(session.keySet()));
    }

    @Test
    void shouldUseTheRolloutsOwnVariableNamesAndAnEmptyCanaryList() {
        Rollout rollout = Fixtures.with(
                Fixtures.rollout(Fixtures.plan(10, 100), RolloutStatus.ACTIVE, 0, List.of()), "env", new EnvMapping("", "NEW_MONITOR"));

        assertEquals(Map.of("NEW_MONITOR", "canary", "CANARY_SESSIONS", "", "ROLLOUT_PERCENTAGE", "10", "SHADOW_MODE", "false"),
                EnvView.fleet(rollout));
    }
}
