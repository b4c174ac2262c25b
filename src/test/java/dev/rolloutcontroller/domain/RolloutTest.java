package dev.rolloutcontroller.domain;

import static dev.rolloutcontroller.domain.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutTest {

    /** Steps of {@link Fixtures#everyKindOfStep()}: 0 shadow, 1 dark 0%, 2 canary 10%, 3 half 50%, 4 full 100%. */
    @ParameterizedTest(name = "{0} at step {1} -> {2}%, shadow {3}, next {4}")
    @CsvSource({
            "DRAFT,       0, 0,   false, dark",
            "DRAFT,       3, 0,   false, full",
            "ACTIVE,      0, 0,   true,  dark",
            "PAUSED,      0, 0,   true,  dark",
            "ACTIVE,      1, 0,   false, canary",
            "ACTIVE,      2, 10,  false, half",
            "PAUSED,      3, 50,  false, full",
            "ACTIVE,      4, 100, false, ",
            "COMPLETED,   4, 100, false, ",
            "ROLLED_BACK, 0, 0,   false, dark",
            "ROLLED_BACK, 3, 0,   false, full",
    })
    void shouldDerivePercentageShadowModeAndNextStep(
            RolloutStatus status, int stepIndex, int percentage, boolean shadowMode, String nextStep) {
        Rollout rollout = Fixtures.rollout(Fixtures.everyKindOfStep(), status, stepIndex, List.of());

        assertEquals(percentage, rollout.percentage());
        assertEquals(shadowMode, rollout.shadowMode());
        assertEquals(nextStep, rollout.nextStep().map(Step::name).orElse(null));
        assertEquals(Fixtures.everyKindOfStep().steps().get(stepIndex), rollout.currentStep());
    }

    @ParameterizedTest(name = "group {0} -> {1}")
    @CsvSource({
            ",               modular-monitor",
            "unleash-toggle, unleash-toggle",
    })
    void shouldUseTheKeyAsGroupUnlessAStickinessGroupIsSet(String stickinessGroup, String group) {
        Rollout rollout = Rollout.draft("modular-monitor", "", Fixtures.plan(100), List.of(), true, EnvMapping.DEFAULT,
                stickinessGroup, NOW);

        assertEquals(group, rollout.group());
    }

    @Test
    void shouldDraftAtVersionOneOnTheFirstStep() {
        List<String> canary = new ArrayList<>(List.of("s-1"));
        Rollout rollout = Rollout.draft("modular-monitor", "v2", Plan.checklist(true), canary, false, EnvMapping.DEFAULT, null, NOW);
        canary.add("added-later");

        assertEquals(RolloutStatus.DRAFT, rollout.status());
        assertEquals(1, rollout.version());
        assertEquals(0, rollout.stepIndex());
        assertEquals(List.of("s-1"), rollout.canarySessions());
        assertEquals(NOW, rollout.createdAt());
        assertEquals(NOW, rollout.updatedAt());
        assertEquals(NOW, rollout.stepEnteredAt());
        assertFalse(rollout.autoAdvance());
    }

    @Test
    void shouldReplaceTheCanaryListAsANewVersion() {
        Rollout before = Fixtures.rollout(Fixtures.plan(10, 100), RolloutStatus.ACTIVE, 0, List.of("a"));

        Rollout after = before.withCanarySessions(List.of("b", "c"), NOW);

        assertEquals(List.of("b", "c"), after.canarySessions());
        assertEquals(before.version() + 1, after.version());
        assertEquals(NOW, after.updatedAt());
        assertEquals(before.stepEnteredAt(), after.stepEnteredAt());
        assertEquals(before.status(), after.status());
    }

    @ParameterizedTest
    @CsvSource({"-1", "2"})
    void shouldRejectAStepIndexOutsideThePlan(int stepIndex) {
        assertThrows(IllegalArgumentException.class,
                () -> Fixtures.rollout(Fixtures.plan(10, 100), RolloutStatus.ACTIVE, stepIndex, List.of()));
    }

    @Test
    void shouldRejectAPlanWithoutSteps() {
        assertThrows(IllegalArgumentException.class, () -> new Plan(List.of(), List.of()));
    }
}
