package dev.rolloutcontroller.api;

import dev.rolloutcontroller.evaluator.EvaluatorTick;
import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A draft with startAt: announced when scheduled and once a day ahead, started by the evaluator at that time when its
 * entry gates pass and the calendar allows, held with the reason journaled otherwise.
 */
@QuarkusTest
class ScheduledStartTest {

    @Inject
    RolloutEvaluator evaluator;

    @Inject
    EvaluatorTick tick;

    private final List<String> subscriptions = new ArrayList<>();

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(id -> asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204));
    }

    private static Instant now() {
        return MutableClock.INSTANCE.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private List<String> eventTypes(String key) {
        return asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=50").then().extract().path("events.type");
    }

    @Test
    void shouldAnnounceHoldForTheMissingSignOffAndStartOnceItIsGiven() {
        String key = Api.uniqueKey("scheduled");
        String subscription = asAdmin().body(Map.of("url", "https://hooks.example.test/schedule",
                        "events", List.of("rollout.scheduled", "rollout.starting-soon", "rollout.started"), "rollouts", List.of(key)))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        subscriptions.add(subscription);
        Instant startAt = now().plus(Duration.ofHours(25));

        asAdmin().body(Map.of("key", key, "canarySessions", List.of("s1"), "startAt", startAt.toString()))
                .post("/api/v1/rollouts").then().statusCode(201).body("startAt", equalTo(startAt.toString()));
        assertEquals(List.of("rollout.scheduled", "rollout.created"), eventTypes(key));

        tick.runOnce();
        assertTrue(!eventTypes(key).contains("rollout.starting-soon"), "not yet 24 hours ahead");

        MutableClock.INSTANCE.advance(Duration.ofHours(1).plusMinutes(1));
        tick.runOnce();
        tick.runOnce();
        assertEquals(1, eventTypes(key).stream().filter("rollout.starting-soon"::equals).count(), "announced once");
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].type", equalTo("rollout.starting-soon"))
                .body("events[0].actor", equalTo("evaluator"))
                .body("events[0].after.startAt", equalTo(startAt.toString()))
                .body("events[0].after.openSignOffs", equalTo(List.of("devops")))
                .body("events[0].after.openEntryGates", equalTo(List.of()));

        MutableClock.INSTANCE.advance(Duration.ofHours(24));
        tick.runOnce();
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("DRAFT"))
                .body("startAt", equalTo(startAt.toString()))
                .body("evaluation.lastEvaluation.action", equalTo("NONE"))
                .body("evaluation.lastEvaluation.reason", containsString("scheduled start at " + startAt
                        + " held: entry gates not passed: sign-off 'Enhanced monitoring enabled' PENDING"));

        as(Api.tokenWith("devops")).body(Map.of("role", "devops", "step", "canary"))
                .post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(201);
        tick.runOnce();

        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("ACTIVE"))
                .body("step", equalTo("canary"))
                .body("$", not(hasKey("startAt")))
                .body("evaluation.lastEvaluation.action", equalTo("START"));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].type", equalTo("rollout.started"))
                .body("events[0].actor", equalTo("evaluator"));
        asAdmin().get("/api/v1/webhooks/" + subscription + "/deliveries").then().statusCode(200)
                .body("deliveries.type", equalTo(List.of("rollout.started", "rollout.starting-soon", "rollout.scheduled")));
    }

    @Test
    void shouldHoldAScheduledStartUntilTheWindowOpens() {
        Instant opens = now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
        LocalTime from = LocalTime.ofInstant(opens, ZoneOffset.UTC);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("steps", List.of(Map.of("name", "full", "percentage", 100, "soak", "PT1M")));
        plan.put("deploymentWindows", List.of(Map.of("days", List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"),
                "from", from.toString(), "to", from.plusHours(1).toString(), "zone", "UTC")));
        String key = Api.uniqueKey("scheduled-window");
        asAdmin().body(Map.of("key", key, "plan", plan)).post("/api/v1/rollouts").then().statusCode(201);
        Instant startAt = now().plus(Duration.ofMinutes(1));
        asAdmin().body(Map.of("startAt", startAt.toString(), "reason", "after the stand-up"))
                .put("/api/v1/rollouts/" + key + "/schedule").then().statusCode(200).body("startAt", equalTo(startAt.toString()));

        MutableClock.INSTANCE.advance(Duration.ofMinutes(2));
        assertEquals("NONE", evaluator.evaluate(key).orElseThrow().action());
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("DRAFT"))
                .body("evaluation.lastEvaluation.reason", containsString("held: outside the deployment windows; "
                        + "the next window opens at " + opens));

        MutableClock.INSTANCE.advance(Duration.between(MutableClock.INSTANCE.instant(), opens).plusSeconds(1));
        assertEquals("START", evaluator.evaluate(key).orElseThrow().action());
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void shouldSetMoveAndClearTheScheduleOfADraftOnly() {
        String key = Api.createRollout("schedule-route", "s1");
        String reader = Api.tokenWith("reader");
        as(reader).body(Map.of("startAt", now().plus(Duration.ofHours(1)).toString()))
                .put("/api/v1/rollouts/" + key + "/schedule").then().statusCode(403);
        asAdmin().body(Map.of("startAt", now().minus(Duration.ofMinutes(1)).toString()))
                .put("/api/v1/rollouts/" + key + "/schedule").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("startAt"));
        asAdmin().body(Map.of("startAt", now().plus(Duration.ofDays(400)).toString()))
                .put("/api/v1/rollouts/" + key + "/schedule").then().statusCode(400).body("errors[0].field", equalTo("startAt"));

        Instant startAt = now().plus(Duration.ofHours(3));
        asAdmin().body(Map.of("startAt", startAt.toString(), "reason", "Tuesday slot"))
                .header("If-Match", "\"1\"")
                .put("/api/v1/rollouts/" + key + "/schedule").then().statusCode(200)
                .body("startAt", equalTo(startAt.toString())).body("version", equalTo(2));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].type", equalTo("rollout.scheduled"))
                .body("events[0].reason", equalTo("Tuesday slot"))
                .body("events[0].after.startAt", equalTo(startAt.toString()));

        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put("startAt", null);
        asAdmin().body(clear).put("/api/v1/rollouts/" + key + "/schedule").then().statusCode(200)
                .body("$", not(hasKey("startAt"))).body("version", equalTo(3));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].after.startAt", nullValue())
                .body("events[0].before.startAt", equalTo(startAt.toString()));

        Api.act(key, "start");
        asAdmin().body(Map.of("startAt", now().plus(Duration.ofHours(1)).toString()))
                .put("/api/v1/rollouts/" + key + "/schedule").then().statusCode(409)
                .body("currentStatus", equalTo("ACTIVE"));
    }
}
