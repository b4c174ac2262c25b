package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagRulesTest {

    /** Buckets in group modular-monitor, see BucketingTest. */
    private static final String BUCKET_10 = "session-218";
    private static final String BUCKET_51 = "session-8";
    private static final Set<String> CANARY = Set.of(BUCKET_51, "pm-1");

    /** Steps of {@link Fixtures#everyKindOfStep()}: 0 shadow, 1 dark 0%, 2 canary 10%, 3 half 50%, 4 full 100%. */
    @ParameterizedTest(name = "{0} at step {1}, session {2} -> {3} {4}")
    @CsvSource({
            "DRAFT,       2, session-8,   false, DRAFT",
            "DRAFT,       4, session-218, false, DRAFT",
            "ROLLED_BACK, 4, session-218, false, ROLLED_BACK",
            "ROLLED_BACK, 2, session-8,   false, ROLLED_BACK",
            "ACTIVE,      0, session-8,   false, SHADOW",
            "PAUSED,      0, session-218, false, SHADOW",
            "ACTIVE,      1, session-8,   true,  CANARY_LIST",
            "ACTIVE,      1, session-218, false, NOT_SELECTED",
            "ACTIVE,      2, session-8,   true,  CANARY_LIST",
            "ACTIVE,      2, session-218, true,  PERCENTAGE",
            "ACTIVE,      2, session-1,   false, NOT_SELECTED",
            "PAUSED,      2, session-8,   true,  CANARY_LIST",
            "PAUSED,      2, session-218, true,  PERCENTAGE",
            "ACTIVE,      3, session-94,  true,  PERCENTAGE",
            "ACTIVE,      3, session-95,  false, NOT_SELECTED",
            "ACTIVE,      4, session-95,  true,  FULL",
            "ACTIVE,      4, session-8,   true,  FULL",
            "PAUSED,      4, session-95,  true,  FULL",
            "COMPLETED,   4, session-95,  true,  FULL",
    })
    void shouldDecidePerStatusStepAndSession(
            RolloutStatus status, int stepIndex, String sessionId, boolean enabled, DecisionReason reason) {
        Rollout rollout = Fixtures.rollout(Fixtures.everyKindOfStep(), status, stepIndex, List.copyOf(CANARY));

        FlagDecision decision = FlagRules.decide(rollout, CANARY, sessionId);

        assertEquals(new FlagDecision(enabled, reason, Bucketing.bucket("modular-monitor", sessionId)), decision);
    }

    /** Percentage steps 0..100 from {@link Fixtures#plan}; the session's bucket sits on the boundary. */
    @ParameterizedTest(name = "bucket {1} at {2}% -> {3}")
    @CsvSource({
            "session-36,  1,   0,   false",
            "session-36,  1,   1,   true",
            "session-218, 10,  9,   false",
            "session-218, 10,  10,  true",
            "session-1,   11,  10,  false",
            "session-1,   11,  11,  true",
            "session-94,  50,  49,  false",
            "session-94,  50,  50,  true",
            "session-8,   51,  50,  false",
            "session-8,   51,  51,  true",
            "session-95,  100, 99,  false",
            "session-95,  100, 100, true",
    })
    void shouldSwitchASessionExactlyWhenThePercentageReachesItsBucket(String sessionId, int bucket, int percentage, boolean enabled) {
        Rollout rollout = Fixtures.rollout(Fixtures.plan(percentage, 100), RolloutStatus.ACTIVE, 0, List.of());

        FlagDecision decision = FlagRules.decide(rollout, Set.of(), sessionId);

        assertEquals(bucket, decision.bucket());
        assertEquals(enabled, decision.enabled());
    }

    @ParameterizedTest(name = "group {0} at {1}% -> {2}")
    @CsvSource({
            "gr1, 72, false",
            "gr1, 73, true",
    })
    void shouldBucketByTheStickinessGroupWhenOneIsSet(String group, int percentage, boolean enabled) {
        Rollout byKey = Fixtures.rollout(Fixtures.plan(percentage, 100), RolloutStatus.ACTIVE, 0, List.of());
        Rollout byGroup = Fixtures.with(byKey, "stickinessGroup", group);

        FlagDecision decision = FlagRules.decide(byGroup, Set.of(), "123");

        assertEquals(73, decision.bucket());
        assertEquals(enabled, decision.enabled());
        assertEquals(57, FlagRules.decide(byKey, Set.of(), "123").bucket(), "without a group the key is the group");
    }

    @Test
    void shouldKeepASessionOnTheNewPathAsThePercentageGrows() {
        int[] percentages = {1, 5, 10, 25, 50, 75, 99, 100};
        Plan plan = Fixtures.plan(percentages);
        int[] enabledAt = new int[percentages.length];
        for (int i = 0; i < 10_000; i++) {
            String sessionId = "tmux-" + i;
            boolean wasOn = false;
            for (int step = 0; step < percentages.length; step++) {
                boolean on = FlagRules.decide(Fixtures.rollout(plan, RolloutStatus.ACTIVE, step, List.of()), Set.of(), sessionId).enabled();
                assertTrue(on || !wasOn, sessionId + " was on below " + percentages[step] + "% and is off at it");
                wasOn = on;
                enabledAt[step] += on ? 1 : 0;
            }
        }
        // Not vacuous: the share switched on follows the percentage.
        for (int step = 0; step < percentages.length; step++) {
            assertEquals(percentages[step] * 100, enabledAt[step], percentages[step] * 15 + 30, "at " + percentages[step] + "%");
        }
    }
}
