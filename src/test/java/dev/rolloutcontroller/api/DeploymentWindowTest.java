package dev.rolloutcontroller.api;

import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deployment windows hold starts and advances (the evaluator's and the operator's) and nothing else; freezes hold
 * forced ones too, unless an admin overrides them, which the audit log records. Windows and freezes are placed
 * relative to the test clock, which only moves forward.
 */
@QuarkusTest
class DeploymentWindowTest {

    private static final List<String> EVERY_DAY = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    @Inject
    RolloutEvaluator evaluator;

    /** A UTC window on every day, opening two hours from now (to the minute) and lasting an hour. */
    private static Instant windowOpensInTwoHours(Map<String, Object> plan) {
        Instant opens = MutableClock.INSTANCE.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
        LocalTime from = LocalTime.ofInstant(opens, ZoneOffset.UTC);
        plan.put("deploymentWindows", List.of(Map.of("days", EVERY_DAY, "from", from.toString(),
                "to", from.plusHours(1).toString(), "zone", "UTC")));
        return opens;
    }

    /** Two steps without gates: the evaluator advances as soon as nothing holds it. */
    private static Map<String, Object> gatelessPlan() {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("steps", List.of(
                Map.of("name", "canary", "percentage", 10, "soak", "PT1M"),
                Map.of("name", "full", "percentage", 100, "soak", "PT1M")));
        return plan;
    }

    private static String create(String prefix, Map<String, Object> plan) {
        String key = Api.uniqueKey(prefix);
        asAdmin().body(Map.of("key", key, "plan", plan)).post("/api/v1/rollouts").then().statusCode(201);
        return key;
    }

    @Test
    void shouldRefuseAStartOutsideTheWindowsNamingWhenTheNextOpens() {
        Map<String, Object> plan = gatelessPlan();
        Instant opens = windowOpensInTwoHours(plan);
        String key = create("window-start", plan);

        as(Api.tokenWith("operator")).post("/api/v1/rollouts/" + key + "/start").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("outside the deployment windows; the next window opens at " + opens))
                .body("nextWindowOpensAt", equalTo(opens.toString()))
                .body("zone", equalTo("UTC"));
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("DRAFT"))
                .body("plan.deploymentWindows[0].zone", equalTo("UTC"));

        asAdmin().body(Map.of("force", true, "reason", "hotfix agreed with on-call")).post("/api/v1/rollouts/" + key + "/start")
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void shouldHoldTheEvaluatorsAdvanceReadyUntilTheWindowOpens() {
        Map<String, Object> plan = gatelessPlan();
        Instant opens = windowOpensInTwoHours(plan);
        String key = create("window-advance", plan);
        Api.act(key, "start");

        assertEquals("MARK_READY", evaluator.evaluate(key).orElseThrow().action());
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("ACTIVE")).body("step", equalTo("canary")).body("readyToAdvance", equalTo(true))
                .body("evaluation.wouldDo", equalTo("MARK_READY"))
                .body("evaluation.lastEvaluation.reason", containsString("held, ready to advance: outside the deployment "
                        + "windows; the next window opens at " + opens + " (" + opens.atOffset(ZoneOffset.UTC) + " UTC)"));
        asAdmin().post("/api/v1/rollouts/" + key + "/advance").then().statusCode(409)
                .body("nextWindowOpensAt", equalTo(opens.toString()));

        MutableClock.INSTANCE.advance(Duration.between(MutableClock.INSTANCE.instant(), opens).plusSeconds(1));
        assertEquals("ADVANCE", evaluator.evaluate(key).orElseThrow().action());
        asAdmin().get("/api/v1/rollouts/" + key).then().body("step", equalTo("full"));
    }

    @Test
    void shouldNeverHoldRollbackStepBackOrPauseOutsideTheWindows() {
        Map<String, Object> plan = gatelessPlan();
        windowOpensInTwoHours(plan);
        String key = create("window-rollback", plan);
        Api.act(key, "start");
        Api.act(key, "advance");
        asAdmin().body(Map.of("reason", "slower than expected")).post("/api/v1/rollouts/" + key + "/step-back")
                .then().statusCode(200).body("step", equalTo("canary"));
        asAdmin().body(Map.of()).post("/api/v1/rollouts/" + key + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        asAdmin().body(Map.of("reason", "error rate 6%")).post("/api/v1/rollouts/" + key + "/rollback")
                .then().statusCode(200).body("status", equalTo("ROLLED_BACK"));
    }

    @Test
    void shouldBlockAForcedAdvanceInAFreezeUnlessAnAdminOverridesIt() {
        Map<String, Object> plan = gatelessPlan();
        Instant from = MutableClock.INSTANCE.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant to = from.plus(Duration.ofDays(2));
        plan.put("freezes", List.of(Map.of("from", from.toString(), "to", to.toString(), "reason", "year-end freeze")));
        String key = create("freeze", plan);
        Api.act(key, "start");
        MutableClock.INSTANCE.advance(Duration.ofHours(1).plusMinutes(1));

        asAdmin().body(Api.FORCED).post("/api/v1/rollouts/" + key + "/advance").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("frozen until " + to + ": year-end freeze"))
                .body("frozenUntil", equalTo(to.toString()))
                .body("freezeReason", equalTo("year-end freeze"));
        assertEquals("MARK_READY", evaluator.evaluate(key).orElseThrow().action());
        as(Api.tokenWith("operator")).body(Map.of("force", true, "overrideFreeze", true, "reason", "security fix"))
                .post("/api/v1/rollouts/" + key + "/advance").then().statusCode(403).contentType("application/problem+json");
        asAdmin().body(Map.of("overrideFreeze", true)).post("/api/v1/rollouts/" + key + "/advance").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));

        asAdmin().body(Map.of("force", true, "overrideFreeze", true, "reason", "security fix, approved by the change board"))
                .post("/api/v1/rollouts/" + key + "/advance").then().statusCode(200).body("step", equalTo("full"));

        List<Map<String, Object>> events = asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=2").then()
                .extract().path("events");
        assertEquals("rollout.freeze-overridden", events.get(0).get("type"));
        assertEquals("rollout.force-advanced", events.get(1).get("type"));
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) events.get(0).get("after");
        assertEquals(true, after.get("overrideFreeze"));
        assertEquals("advance", after.get("action"));
        assertEquals(Map.of("from", from.toString(), "to", to.toString(), "reason", "year-end freeze"), after.get("freeze"));
        assertEquals("security fix, approved by the change board", events.get(0).get("reason"));
    }

    @Test
    void shouldRefuseAWindowNamedWindowsAndNameTheFieldsOfABadOne() {
        Map<String, Object> plan = gatelessPlan();
        plan.put("windows", List.of(Map.of("days", EVERY_DAY, "from", "09:00", "to", "16:00", "zone", "UTC")));
        asAdmin().body(Map.of("key", Api.uniqueKey("windows-name"), "plan", plan)).post("/api/v1/rollouts").then().statusCode(400);

        Map<String, Object> bad = gatelessPlan();
        bad.put("deploymentWindows", List.of(Map.of("days", List.of("MON"), "from", "09:00", "to", "09:00", "zone", "Mars/Olympus")));
        List<String> fields = asAdmin().body(Map.of("key", Api.uniqueKey("windows-bad"), "plan", bad)).post("/api/v1/rollouts")
                .then().statusCode(400).contentType("application/problem+json").extract().path("errors.field");
        assertEquals(List.of("plan.deploymentWindows[0].to", "plan.deploymentWindows[0].zone"), fields.stream().sorted().toList());
    }
}
