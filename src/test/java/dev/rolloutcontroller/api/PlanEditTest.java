package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Editing the plan of a rollout under way: what may change, what may not, and what an edit leaves behind. */
@QuarkusTest
class PlanEditTest {

    private final List<String> subscriptions = new ArrayList<>();

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(id -> asAdmin().delete("/api/v1/webhooks/" + id));
    }

    @Test
    void shouldChangeATriggerThresholdKeepEveryVersionAndAuditTheDiff() {
        String key = started("plan-threshold");
        Map<String, Object> plan = plan(key);
        trigger(plan, 0).put("threshold", 0.04);

        asAdmin().header("If-Match", "\"2\"").body(Map.of("plan", plan, "reason", "agreed 4% with on-call"))
                .put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(200).header("ETag", "\"3\"")
                .body("rolloutVersion", equalTo(3)).body("planVersion", equalTo(2))
                .body("changes", hasSize(1))
                .body("changes[0].path", equalTo("plan.triggers[0].threshold"))
                .body("changes[0].before", equalTo(0.05f)).body("changes[0].after", equalTo(0.04f))
                .body("plan.triggers[0].threshold", equalTo(0.04f));

        asAdmin().get("/api/v1/rollouts/" + key + "/plan/history").then().statusCode(200)
                .body("versions.version", contains(2, 1))
                .body("versions[0].reason", equalTo("agreed 4% with on-call"))
                .body("versions[0].changedBy", equalTo("bootstrap-admin"))
                .body("versions[0].plan.triggers[0].threshold", equalTo(0.04f))
                .body("versions[1].plan.triggers[0].threshold", equalTo(0.05f));
        asAdmin().get("/api/v1/rollouts/" + key + "/plan/history?limit=1").then().statusCode(200)
                .body("versions.version", contains(2));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then().statusCode(200)
                .body("events[0].type", equalTo("rollout.plan-changed"))
                .body("events[0].reason", equalTo("agreed 4% with on-call"))
                .body("events[0].before.planVersion", equalTo(1))
                .body("events[0].after.planVersion", equalTo(2))
                .body("events[0].after.changes[0].path", equalTo("plan.triggers[0].threshold"))
                .body("events[0].after.changes[0].before", equalTo(0.05f))
                .body("events[0].after.changes[0].after", equalTo(0.04f));
    }

    @Test
    void shouldChangeNothingForAnIdenticalPlan() {
        String key = started("plan-same");
        asAdmin().header("If-Match", "\"2\"").body(Map.of("plan", plan(key))).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(200).body("changes", hasSize(0)).body("planVersion", equalTo(1)).body("rolloutVersion", equalTo(2));
        asAdmin().get("/api/v1/rollouts/" + key + "/plan/history").then().body("versions.version", contains(1));
    }

    @Test
    void shouldRefuseToChangeTheCurrentStepsPercentageNamingTheField() {
        String key = started("plan-percentage");
        Map<String, Object> plan = plan(key);
        step(plan, 0).put("percentage", 20);

        refused(key, plan, "\"2\"").body("errors.field", contains("plan.steps[0].percentage"));
        asAdmin().get("/api/v1/rollouts/" + key + "/plan/history").then().body("versions.version", contains(1));
    }

    @Test
    void shouldRefuseToChangeAStepAlreadyLeftButChangeTheStepsAhead() {
        String key = started("plan-left");
        Api.act(key, "advance");
        Map<String, Object> plan = plan(key);
        step(plan, 0).put("soak", "PT1H");
        refused(key, plan, "\"3\"").body("errors.field", contains("plan.steps[0].soak"));

        Map<String, Object> ahead = plan(key);
        step(ahead, 2).put("soak", "PT12H");
        step(ahead, 1).put("soak", "PT6H");
        asAdmin().header("If-Match", "\"3\"").body(Map.of("plan", ahead)).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(200).body("changes.path", contains("plan.steps[1].soak", "plan.steps[2].soak"));
    }

    @Test
    void shouldAnswer412ToAStaleIfMatchAnd428WithoutOne() {
        String key = started("plan-stale");
        Map<String, Object> plan = plan(key);
        trigger(plan, 0).put("threshold", 0.04);
        asAdmin().header("If-Match", "\"1\"").body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(412).body("currentVersion", equalTo(2));
        asAdmin().body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(428).body("type", equalTo("/problems/precondition-required"));
    }

    @Test
    void shouldLetOnlyAnAdminChangeAPlan() {
        String key = started("plan-role");
        Api.as(Api.tokenWith("operator")).header("If-Match", "\"2\"").body(Map.of("plan", plan(key)))
                .put("/api/v1/rollouts/" + key + "/plan").then().statusCode(403);
    }

    @Test
    void shouldSendAPlanChangedWebhookWithTheChanges() {
        String key = started("plan-hook");
        String subscription = asAdmin().body(Map.of("url", "https://hooks.example.test/plans", "rollouts", List.of(key)))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        subscriptions.add(subscription);
        Map<String, Object> plan = plan(key);
        trigger(plan, 1).put("consecutive", 3);
        asAdmin().header("If-Match", "\"2\"").body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(200);

        asAdmin().get("/api/v1/webhooks/" + subscription + "/deliveries").then().statusCode(200)
                .body("deliveries.size()", equalTo(1)).body("deliveries[0].type", equalTo("plan.changed"));
    }

    @Test
    void shouldNameThePlanVersionInEachJournalEntry() {
        String key = started("plan-journal");
        asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200).body("planVersion", equalTo(1));
        Map<String, Object> plan = plan(key);
        trigger(plan, 0).put("threshold", 0.04);
        asAdmin().header("If-Match", "\"2\"").body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(200);
        asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200).body("planVersion", equalTo(2));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=2").then()
                .body("evaluations.planVersion", contains(2, 1));
    }

    /** A soak of 4 h running for 1 h, shortened to 30 min: the step keeps its clock and the soak passes at the next pass. */
    @Test
    void shouldKeepARunningSoaksStartSoAShorterSoakPassesAtTheNextPass() {
        String key = started("plan-soak");
        String enteredAt = asAdmin().get("/api/v1/rollouts/" + key).then().extract().path("stepEnteredAt");
        MutableClock.INSTANCE.advance(Duration.ofHours(1));
        soakOfCanary(asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200), "PENDING");

        Map<String, Object> plan = plan(key);
        step(plan, 0).put("soak", "PT30M");
        asAdmin().header("If-Match", "\"2\"").body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(200);

        asAdmin().get("/api/v1/rollouts/" + key).then().body("stepEnteredAt", equalTo(enteredAt));
        soakOfCanary(asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200), "PASS");
    }

    private static void soakOfCanary(ValidatableResponse evaluation, String verdict) {
        evaluation.body("exitGates.findAll { it.kind == 'soak' }.verdict", contains(verdict));
    }

    private static ValidatableResponse refused(String key, Map<String, Object> plan, String ifMatch) {
        return asAdmin().header("If-Match", ifMatch).body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan")
                .then().statusCode(400);
    }

    /** A rollout with the checklist's plan, started at canary (version 2). */
    static String started(String prefix) {
        String key = Api.createRollout(prefix, "session1");
        Api.act(key, "start");
        return key;
    }

    /** The rollout's plan as sent back: numbers as decimals, since floats would round the GiB thresholds. */
    static Map<String, Object> plan(String key) {
        String body = asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200).extract().asString();
        return JsonPath.from(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL)).getMap("plan");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> step(Map<String, Object> plan, int index) {
        return ((List<Map<String, Object>>) plan.get("steps")).get(index);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> trigger(Map<String, Object> plan, int index) {
        return ((List<Map<String, Object>>) plan.get("triggers")).get(index);
    }
}
