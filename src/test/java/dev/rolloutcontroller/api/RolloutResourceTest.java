package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
class RolloutResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void shouldCreateRolloutWithChecklistDefaults() {
        String key = Api.uniqueKey("create");
        asAdmin().body(Map.of("key", key, "description", "Monitor.py SOLID refactor", "canarySessions", List.of("s1", "s2")))
                .post("/api/v1/rollouts")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/rollouts/" + key))
                .header("ETag", "\"1\"")
                .body("key", equalTo(key))
                .body("status", equalTo("DRAFT"))
                .body("step", equalTo("canary"))
                .body("stepIndex", equalTo(0))
                .body("percentage", equalTo(0))
                .body("shadowMode", equalTo(false))
                .body("autoAdvance", equalTo(true))
                .body("readyToAdvance", equalTo(false))
                .body("version", equalTo(1))
                .body("canarySessions", contains("s1", "s2"))
                .body("envPrefix", equalTo("TMUX_ORCHESTRATOR_"))
                .body("flagVariable", equalTo("USE_MODULAR_MONITOR"))
                .body("allowedActions", contains("start"))
                .body("plan.steps.name", contains("canary", "gradual", "full"))
                .body("plan.steps.percentage", contains(10, 50, 100))
                .body("plan.steps.soak", contains("PT4H", "PT8H", "PT24H"));
    }

    @Test
    void shouldPutShadowStepFirstWhenAsked() {
        String key = Api.uniqueKey("shadow");
        asAdmin().body(Map.of("key", key, "shadowStep", true)).post("/api/v1/rollouts")
                .then().statusCode(201)
                .body("plan.steps.name", contains("shadow", "canary", "gradual", "full"))
                .body("plan.steps[0].shadow", equalTo(true));
        Api.act(key, "start");
        given().header("Authorization", "Bearer " + Api.ADMIN).get("/api/v1/rollouts/" + key)
                .then().body("step", equalTo("shadow")).body("shadowMode", equalTo(true)).body("percentage", equalTo(0));
    }

    @Test
    void shouldAcceptValidCustomPlan() {
        String key = Api.uniqueKey("custom");
        Map<String, Object> plan = Map.of("steps", List.of(
                Map.of("name", "one", "percentage", 5, "soak", "PT10S",
                        "exitGates", List.of(Map.of("kind", "metric", "metric", "error_rate", "op", "<", "threshold", 0.01, "minSamples", 100))),
                Map.of("name", "all", "percentage", 100, "soak", "PT0S")));
        asAdmin().body(Map.of("key", key, "plan", plan)).post("/api/v1/rollouts")
                .then().statusCode(201)
                .body("plan.steps.name", contains("one", "all"))
                .body("plan.steps[0].exitGates[0].metric", equalTo("error_rate"));
    }

    @Test
    void shouldRejectInvalidCustomPlanNamingEachField() {
        Map<String, Object> plan = Map.of("steps", List.of(
                Map.of("name", "Bad Name", "percentage", 60, "soak", "4 hours"),
                Map.of("name", "two", "percentage", 50, "soak", "PT1H")));
        asAdmin().body(Map.of("key", Api.uniqueKey("badplan"), "plan", plan)).post("/api/v1/rollouts")
                .then().statusCode(400)
                .contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("errors.field", hasItem("plan.steps[0].name"))
                .body("errors.field", hasItem("plan.steps[0].soak"))
                .body("errors.field", hasItem("plan.steps[1].percentage"));
    }

    @Test
    void shouldRejectBadKeyAndSessionsWithFieldErrors() {
        asAdmin().body(Map.of("key", "Not A Slug", "canarySessions", List.of("ok", "has space", "a,b")))
                .post("/api/v1/rollouts")
                .then().statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.field", hasItem("key"))
                .body("errors.field", hasItem("canarySessions[1]"))
                .body("errors.field", hasItem("canarySessions[2]"));
    }

    @Test
    void shouldRejectDuplicateKey() {
        String key = Api.createRollout("dup");
        asAdmin().body(Map.of("key", key)).post("/api/v1/rollouts")
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString(key));
    }

    @Test
    void shouldAnswerMalformedJsonWith400() {
        asAdmin().body("{\"key\": ").post("/api/v1/rollouts")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("not valid JSON"));
        asAdmin().body("{\"key\": \"x\", \"canarySessions\": 7}").post("/api/v1/rollouts")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("canarySessions"));
    }

    @Test
    void shouldAnswerWrongMediaTypeWith415() {
        given().header("Authorization", "Bearer " + Api.ADMIN).contentType(ContentType.TEXT).body("key=x")
                .post("/api/v1/rollouts")
                .then().statusCode(415).contentType(PROBLEM);
    }

    @Test
    void shouldNotGetUnknownRollout() {
        asAdmin().get("/api/v1/rollouts/no-such-rollout")
                .then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("no-such-rollout"))
                .body("instance", equalTo("/api/v1/rollouts/no-such-rollout"));
    }

    @Test
    void shouldListRollouts() {
        String key = Api.createRollout("list");
        asAdmin().get("/api/v1/rollouts").then().statusCode(200).body("rollouts.key", hasItem(key))
                .body("rollouts.find { it.key == '" + key + "' }", not(hasKey("plan")))
                .body("rollouts.find { it.key == '" + key + "' }", not(hasKey("evaluation")))
                .body("rollouts.find { it.key == '" + key + "' }.step", equalTo("canary"));
    }

    @Test
    void shouldLeaveNullMembersOut() {
        String key = Api.createRollout("nulls");
        asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200)
                .body("evaluation", not(hasKey("lastEvaluation")))
                .body("plan.steps[0].name", equalTo("canary"));
    }

    @Test
    void shouldAnswer304WhenUnchanged() {
        String key = createWithClockFreeGates("etag");
        String tag = asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200).extract().header("ETag");
        asAdmin().header("If-None-Match", tag).get("/api/v1/rollouts/" + key).then().statusCode(304);
        Api.act(key, "start");
        asAdmin().header("If-None-Match", tag).get("/api/v1/rollouts/" + key)
                .then().statusCode(200).header("ETag", startsWith("\"2."));
    }

    /** A plan whose gates do not move with the clock (a soak's progress changes the body every moment). */
    private static String createWithClockFreeGates(String prefix) {
        String key = Api.uniqueKey(prefix);
        Map<String, Object> plan = Map.of("steps", List.of(
                Map.of("name", "one", "percentage", 5, "soak", "PT10S",
                        "exitGates", List.of(Map.of("kind", "sign-off", "role", "qa-lead"))),
                Map.of("name", "all", "percentage", 100, "soak", "PT0S")));
        asAdmin().body(Map.of("key", key, "plan", plan)).post("/api/v1/rollouts").then().statusCode(201);
        return key;
    }

    @Test
    void shouldChangeTheETagWhenOnlyTheLiveGatesChange() {
        String key = createWithClockFreeGates("etag-gates");
        String before = asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200).extract().header("ETag");
        asAdmin().header("If-None-Match", before).get("/api/v1/rollouts/" + key).then().statusCode(304);
        asAdmin().body(Map.of("role", "qa-lead", "step", "one")).post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(201);
        String after = asAdmin().header("If-None-Match", before).get("/api/v1/rollouts/" + key)
                .then().statusCode(200).body("version", equalTo(1)).extract().header("ETag");
        assertNotEquals(before, after);
        asAdmin().header("If-Match", after).body(Api.FORCED).post("/api/v1/rollouts/" + key + "/start")
                .then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void shouldWalkThroughEveryPhaseToCompleted() {
        String key = Api.createRollout("walk", "session1");
        Api.act(key, "start");
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("ACTIVE")).body("step", equalTo("canary")).body("percentage", equalTo(10))
                .body("stepEnteredAt", notNullValue())
                .body("allowedActions", contains("advance", "pause", "rollback"));
        Api.act(key, "advance");
        asAdmin().get("/api/v1/rollouts/" + key).then().body("step", equalTo("gradual")).body("percentage", equalTo(50));
        Api.act(key, "step-back");
        asAdmin().get("/api/v1/rollouts/" + key).then().body("step", equalTo("canary"));
        Api.act(key, "advance");
        Api.act(key, "pause");
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("PAUSED")).body("percentage", equalTo(50));
        Api.act(key, "resume");
        Api.act(key, "advance");
        asAdmin().get("/api/v1/rollouts/" + key).then().body("step", equalTo("full")).body("percentage", equalTo(100));
        Api.act(key, "advance");
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("COMPLETED")).body("percentage", equalTo(100)).body("version", equalTo(9));
    }

    @Test
    void shouldRollBackAndRestartKeepingCanaryList() {
        String key = Api.createRollout("rb", "session1", "session2");
        Api.act(key, "start");
        asAdmin().post("/api/v1/rollouts/" + key + "/rollback")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("reason"));
        Api.act(key, "rollback", Map.of("reason", "error rate 6%"));
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("ROLLED_BACK")).body("percentage", equalTo(0))
                .body("allowedActions", contains("restart"));
        Api.act(key, "restart");
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("DRAFT")).body("stepIndex", equalTo(0))
                .body("canarySessions", contains("session1", "session2"));
    }

    @Test
    void shouldRefuseActionTheStatusDoesNotAllowNamingStatusAndAllowedActions() {
        String key = Api.createRollout("conflict");
        asAdmin().post("/api/v1/rollouts/" + key + "/advance")
                .then().statusCode(409).contentType(PROBLEM)
                .body("status", equalTo(409))
                .body("detail", containsString("DRAFT"))
                .body("allowedActions", contains("start"));
    }

    @Test
    void shouldRequireReasonForForcedAdvance() {
        String key = Api.createRollout("force");
        Api.act(key, "start");
        asAdmin().body(Map.of("force", true)).post("/api/v1/rollouts/" + key + "/advance")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        asAdmin().body(Map.of("force", true, "reason", "gates verified by hand")).post("/api/v1/rollouts/" + key + "/advance")
                .then().statusCode(200).body("step", equalTo("gradual"));
    }

    @Test
    void shouldAnswer404ForUnknownAction() {
        String key = Api.createRollout("unknown-action");
        asAdmin().post("/api/v1/rollouts/" + key + "/explode").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void shouldRefuseStaleIfMatchWith412() {
        String key = Api.createRollout("ifmatch");
        asAdmin().header("If-Match", "\"1\"").body(Api.FORCED).post("/api/v1/rollouts/" + key + "/start")
                .then().statusCode(200).header("ETag", "\"2\"").body("version", equalTo(2));
        asAdmin().header("If-Match", "\"1\"").post("/api/v1/rollouts/" + key + "/pause")
                .then().statusCode(412).contentType(PROBLEM).body("currentVersion", equalTo(2));
    }

    @Test
    void shouldEditCanaryList() {
        String key = Api.createRollout("canary");
        asAdmin().body(Map.of("sessions", List.of("a", "b", "a"))).put("/api/v1/rollouts/" + key + "/canary-sessions")
                .then().statusCode(200).body("canarySessions", contains("a", "b")).body("version", equalTo(2));
        asAdmin().post("/api/v1/rollouts/" + key + "/canary-sessions/c")
                .then().statusCode(200).body("canarySessions", contains("a", "b", "c"));
        asAdmin().post("/api/v1/rollouts/" + key + "/canary-sessions/c")
                .then().statusCode(200).body("version", equalTo(3));
        asAdmin().delete("/api/v1/rollouts/" + key + "/canary-sessions/a")
                .then().statusCode(200).body("canarySessions", contains("b", "c"));
        asAdmin().delete("/api/v1/rollouts/" + key + "/canary-sessions/a").then().statusCode(404).contentType(PROBLEM);
        asAdmin().post("/api/v1/rollouts/" + key + "/canary-sessions/" + "x".repeat(129))
                .then().statusCode(400).body("errors[0].field", equalTo("sessionId"));
        asAdmin().body(Map.of("sessions", List.of("ok", "bad id"))).put("/api/v1/rollouts/" + key + "/canary-sessions")
                .then().statusCode(400).body("errors[0].field", equalTo("sessions[1]"));
        asAdmin().body("{}").put("/api/v1/rollouts/" + key + "/canary-sessions")
                .then().statusCode(400).body("errors[0].field", equalTo("sessions"));
    }

    @Test
    void shouldRefuseCanaryListOverTenThousand() {
        String key = Api.createRollout("canary-limit");
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            sessions.add("s" + i);
        }
        asAdmin().body(Map.of("sessions", sessions)).put("/api/v1/rollouts/" + key + "/canary-sessions")
                .then().statusCode(400).body("errors[0].field", equalTo("sessions"));
        asAdmin().body(Map.of("sessions", sessions.subList(0, 10_000))).put("/api/v1/rollouts/" + key + "/canary-sessions")
                .then().statusCode(200).body("canarySessions", hasSize(10_000));
        asAdmin().post("/api/v1/rollouts/" + key + "/canary-sessions/one-too-many").then().statusCode(409);
    }

    @Test
    void shouldRecordEveryChangeInTheAuditLogNewestFirst() {
        String key = Api.createRollout("audit", "s1");
        Api.act(key, "start");
        asAdmin().post("/api/v1/rollouts/" + key + "/canary-sessions/s2").then().statusCode(200);
        Api.act(key, "rollback", Map.of("reason", "smoke test failed"));
        asAdmin().get("/api/v1/rollouts/" + key + "/events")
                .then().statusCode(200)
                .body("events.type", contains("rollout.rolled-back", "canary.added", "rollout.force-started", "rollout.created"))
                .body("events[0].actor", equalTo("bootstrap-admin"))
                .body("events[0].reason", equalTo("smoke test failed"))
                .body("events[0].before.status", equalTo("ACTIVE"))
                .body("events[0].after.status", equalTo("ROLLED_BACK"))
                .body("events[1].after.canarySessions", contains("s1", "s2"))
                .body("events[0].time", notNullValue());
        int newest = asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=2")
                .then().body("events", hasSize(2)).extract().path("events[1].id");
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=2&before=" + newest)
                .then().body("events.type", contains("rollout.force-started", "rollout.created"));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=0").then().statusCode(400);
        asAdmin().get("/api/v1/rollouts/nope/events").then().statusCode(404);
    }

    @Test
    void shouldNeverLeakInternalsInErrors() {
        asAdmin().get("/api/v1/rollouts/x/events?before=notanumber")
                .then().statusCode(not(500)).body(not(containsString("Exception")));
    }
}
