package dev.rolloutcontroller.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.api.ApiJson;
import dev.rolloutcontroller.domain.DecisionReason;
import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.FlagDecision;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-session JSON built from cached parts ({@link RolloutFlags#sessionJson}) reads byte for
 * byte as the API's ObjectMapper writes the same {@link SessionFlags}: every reason, both values,
 * and sessions whose ids need escaping or are not ASCII.
 */
class RolloutFlagsJsonTest {

    private static final ObjectMapper JSON = apiMapper();
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    static Stream<Arguments> cases() {
        List<String> sessions = List.of("s1", "session-42", "quote\"d", "back\\slash", "słowo-日本", "x".repeat(128), "a/b<c>&'");
        List<FlagDecision> decisions = List.of(
                new FlagDecision(true, DecisionReason.CANARY_LIST, 17),
                new FlagDecision(true, DecisionReason.PERCENTAGE, 1),
                new FlagDecision(false, DecisionReason.NOT_SELECTED, 100),
                new FlagDecision(true, DecisionReason.FULL, 55),
                new FlagDecision(false, DecisionReason.SHADOW, 3),
                new FlagDecision(false, DecisionReason.DRAFT, 0),
                new FlagDecision(false, DecisionReason.ROLLED_BACK, 99),
                new FlagDecision(false, null, 42));
        List<Rollout> rollouts = List.of(
                rollout("modular-monitor", RolloutStatus.ACTIVE, 1, List.of("canary-1", "canary-2"), false),
                rollout("shadowed", RolloutStatus.ACTIVE, 0, List.of(), true),
                rollout("draft-one", RolloutStatus.DRAFT, 0, List.of("a"), false));
        return rollouts.stream().flatMap(rollout -> sessions.stream().flatMap(session -> decisions.stream()
                .map(decision -> Arguments.of(rollout, session, decision))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldWriteWhatJacksonWrites(Rollout rollout, String session, FlagDecision decision) throws Exception {
        RolloutFlags flags = RolloutFlags.of(rollout, JSON);

        assertEquals(JSON.writeValueAsString(flags.forSession(session, decision)), flags.sessionJson(session, decision));
    }

    private static Rollout rollout(String key, RolloutStatus status, int stepIndex, List<String> canary, boolean shadowStep) {
        Plan plan = new Plan(List.of(
                new Step(shadowStep ? "shadow" : "canary", shadowStep ? 0 : 10, Duration.ofHours(1), shadowStep, List.of(), List.of()),
                new Step("gradual", 50, Duration.ofHours(1), false, List.of(), List.of()),
                new Step("full", 100, Duration.ofHours(1), false, List.of(), List.of())), List.of());
        return new Rollout(key, "test rollout", status, stepIndex, plan, canary, true, 7, CREATED, CREATED, CREATED,
                EnvMapping.DEFAULT, null);
    }

    private static ObjectMapper apiMapper() {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
        new ApiJson().customize(mapper);
        return mapper;
    }
}
