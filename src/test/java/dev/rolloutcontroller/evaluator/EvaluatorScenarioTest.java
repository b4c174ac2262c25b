package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.support.Reports;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The evaluator driven through the checklist's default plan with a movable clock: each test posts
 * reports, sign-offs and smoke results as daemons and people would, then runs evaluation passes.
 */
@QuarkusTest
class EvaluatorScenarioTest {

    @Inject
    RolloutEvaluator evaluator;


    @Test
    void shouldWalkTheChecklistToCompletedWithSignOffsAndHealthyReports() {
        String key = startedCanary("healthy");

        MutableClock.INSTANCE.advance(Duration.ofHours(4).plusMinutes(1));
        healthyTelemetry(key, 40.0);
        signOff(key, "canary", "product");
        signOff(key, "gradual", "tech-lead");
        evaluate(key);
        assertStep(key, "ACTIVE", "gradual");
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("ADVANCE"))
                .body("evaluations[0].exitGates.verdict", everyItem(equalTo("PASS")))
                .body("evaluations[0].entryGates.verdict", everyItem(equalTo("PASS")));

        MutableClock.INSTANCE.advance(Duration.ofHours(8).plusMinutes(1));
        healthyTelemetry(key, 41.0);
        for (String role : Vocabulary.SIGN_OFF_ROLES) {
            signOff(key, "full", role);
        }
        evaluate(key);
        assertStep(key, "ACTIVE", "full");

        MutableClock.INSTANCE.advance(Duration.ofHours(24).plusMinutes(1));
        healthyTelemetry(key, 39.0);
        evaluate(key);
        assertStep(key, "COMPLETED", "full");
        asAdmin().get("/api/v1/rollouts/" + key + "/events").then()
                .body("events.actor", hasItem("evaluator"))
                .body("events.type", hasItem("rollout.advanced"));
    }

    @Test
    void shouldRollBackAtOnceOnSixPercentErrorsAtFiftyPercent() {
        String key = gradualWithHealthyBaseline("regression");
        // Later at 50%, once the healthy minutes have left the trigger's 10-minute window:
        MutableClock.INSTANCE.advance(Duration.ofMinutes(11));
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 60, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        evaluate(key);
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("status", equalTo("ROLLED_BACK"))
                .body("percentage", equalTo(0));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("ROLLBACK"))
                .body("evaluations[0].reason", containsString("error_rate"));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].type", equalTo("rollout.rolled-back"))
                .body("events[0].actor", equalTo("evaluator"));
    }

    /**
     * The batch that completes the minimum sample is judged at the next pass, whatever second of the minute the
     * trigger's window starts at: healthy reports at 5 s into a minute, and 10 minutes 10 s later 6% errors, so the
     * window starts at 15 s of that first minute and must not count the healthy reports before it (decision 0016).
     */
    @Test
    void shouldRollBackOnTheBatchThatCompletesTheMinimumSampleWhateverSecondTheWindowStartsAt() {
        String key = gradualWithHealthyBaseline("window-start");
        Instant now = MutableClock.INSTANCE.instant();
        MutableClock.INSTANCE.advance(Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(65)));
        as(Api.reporter()).body(Reports.batch("early", 10, "new", 1000, 0, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        MutableClock.INSTANCE.advance(Duration.ofMinutes(10).plusSeconds(10));
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 60, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);

        evaluate(key);

        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ROLLED_BACK"));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("ROLLBACK"))
                .body("evaluations[0].reason", containsString("600 of 10,000 cycles"));
    }

    /**
     * A regression judged on its own reports, not once they outnumber the healthy ones before it: 100,000 healthy
     * cycles a minute ago, then 10,000 at 6%. The trigger's 10-minute window reads 0.55%; its newest 37 s, which hold
     * only the faulty batch, are over 5% even on the 99% bound, so the pass right after that batch rolls back
     * (decision 0016).
     */
    @Test
    void shouldRollBackOnTheNewestStretchOfTheWindowWhenTheWholeWindowDilutesTheRegression() {
        String key = gradualWithHealthyBaseline("newest-stretch");
        MutableClock.INSTANCE.advance(Duration.ofMinutes(11));
        as(Api.reporter()).body(Reports.batch("h", 10, "new", 10_000, 0, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        MutableClock.INSTANCE.advance(Duration.ofMinutes(1));
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 60, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);

        evaluate(key);

        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ROLLED_BACK"));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("ROLLBACK"))
                .body("evaluations[0].reason", containsString("600 of 10,000 cycles in the newest 37s of the 10m window"))
                .body("evaluations[0].triggers[0].samples", equalTo(10_000));
    }

    @Test
    void shouldNeitherAdvanceNorRollBackBetweenGateAndTrigger() {
        String key = gradualWithHealthyBaseline("hold-band");
        MutableClock.INSTANCE.advance(Duration.ofHours(8).plusMinutes(1));
        for (String role : Vocabulary.SIGN_OFF_ROLES) {
            signOff(key, "full", role);
        }
        smokeAllPassed(key);
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 10, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        for (int i = 0; i < 3; i++) {
            evaluate(key);
            assertStep(key, "ACTIVE", "gradual");
        }
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("NONE"))
                .body("evaluations[0].exitGates.find { it.kind == 'metric' && it.description.contains('rror') }.verdict",
                        equalTo("FAIL"));

        // The fix ships: an hour later the bad minutes have left the gate's window.
        MutableClock.INSTANCE.advance(Duration.ofMinutes(61));
        healthyTelemetry(key, 40.0);
        evaluate(key);
        assertStep(key, "ACTIVE", "full");
    }

    @Test
    void shouldAnnounceOnceWhenOnlySignOffsAreMissing() {
        String key = startedCanary("awaiting-sign-off");
        MutableClock.INSTANCE.advance(Duration.ofHours(4).plusMinutes(1));
        healthyTelemetry(key, 40.0);
        evaluate(key);
        evaluate(key);
        List<String> types = asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=50").then().extract().path("events.type");
        assertEquals(1, types.stream().filter("rollout.awaiting-sign-off"::equals).count(), "announced once, not every tick");
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].reason", containsString("product, tech-lead"))
                .body("events[0].after.missingSignOffs", org.hamcrest.Matchers.contains("product", "tech-lead"));
        signOff(key, "canary", "product");
        signOff(key, "gradual", "tech-lead");
        evaluate(key);
        assertStep(key, "ACTIVE", "gradual");
    }

    @Test
    void shouldHoldForeverWithoutData() {
        String key = startedCanary("no-data");
        signOff(key, "canary", "product");
        signOff(key, "gradual", "tech-lead");
        for (int i = 0; i < 4; i++) {
            MutableClock.INSTANCE.advance(Duration.ofHours(3));
            evaluate(key);
            assertStep(key, "ACTIVE", "canary");
        }
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("NONE"))
                .body("evaluations[0].exitGates.verdict", hasItem("PENDING"))
                .body("evaluations[0].triggers.fired", everyItem(equalTo(false)));
    }

    @Test
    void shouldApplyOneDecisionWhenTicksRunConcurrently() throws Exception {
        String key = startedCanary("concurrent-ticks");
        MutableClock.INSTANCE.advance(Duration.ofHours(4).plusMinutes(1));
        healthyTelemetry(key, 40.0);
        signOff(key, "canary", "product");
        signOff(key, "gradual", "tech-lead");
        int version = asAdmin().get("/api/v1/rollouts/" + key).then().extract().path("version");

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> ticks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ticks.add(pool.submit(() -> {
                    go.await();
                    return evaluator.evaluate(key);
                }));
            }
            go.countDown();
            for (Future<?> tick : ticks) {
                tick.get();
            }
        } finally {
            pool.shutdownNow();
        }
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("step", equalTo("gradual"))
                .body("version", equalTo(version + 1));
        List<String> types = asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=200").then().extract().path("events.type");
        assertEquals(1, types.stream().filter("rollout.advanced"::equals).count(), "exactly one advance");
    }

    @Test
    void shouldRefuseOperatorAdvanceWhileGatesArePendingUnlessForced() {
        String key = startedCanary("operator-advance");
        asAdmin().post("/api/v1/rollouts/" + key + "/advance").then()
                .statusCode(409).contentType("application/problem+json")
                .body("gates.kind", hasItem("soak"));
        asAdmin().body(Map.of("force", true, "reason", "verified by hand")).post("/api/v1/rollouts/" + key + "/advance")
                .then().statusCode(200).body("step", equalTo("gradual"));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].type", equalTo("rollout.force-advanced"))
                .body("events[0].reason", equalTo("verified by hand"));
    }

    @Test
    void shouldRefuseStartUntilCanaryEntryGatesPass() {
        String key = Api.uniqueKey("start-gates");
        asAdmin().body(Map.of("key", key)).post("/api/v1/rollouts").then().statusCode(201);
        asAdmin().post("/api/v1/rollouts/" + key + "/start").then()
                .statusCode(409).body("gates.kind", hasItem("condition")).body("gates.kind", hasItem("sign-off"));
        asAdmin().body(Map.of("sessions", List.of("c1"))).put("/api/v1/rollouts/" + key + "/canary-sessions").then().statusCode(200);
        signOff(key, "canary", "devops");
        asAdmin().post("/api/v1/rollouts/" + key + "/start").then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void shouldShowLiveGatesAndTriggersOnTheRollout() {
        String key = startedCanary("live-gates");
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("evaluation.wouldDo", equalTo("NONE"))
                .body("evaluation.exitGates.kind", hasItem("soak"))
                .body("evaluation.entryGates.find { it.kind == 'sign-off' }.verdict", equalTo("PENDING"))
                .body("evaluation.triggers.size()", equalTo(5));
    }

    @Test
    void shouldSignOffOnlyWithTheRoleAndWithdrawBeforeTheStepIsLeft() {
        String key = startedCanary("sign-offs");
        String devops = Api.tokenWith("devops");
        as(devops).body(Map.of("role", "product", "step", "canary")).post("/api/v1/rollouts/" + key + "/sign-offs")
                .then().statusCode(403);
        as(Api.tokenWith("product")).body(Map.of("role", "product", "comment", "feedback collected"))
                .post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(201).body("step", equalTo("canary"));
        int id = as(Api.tokenWith("tech-lead")).body(Map.of("role", "tech-lead"))
                .post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(201)
                .body("step", equalTo("gradual")).extract().path("id");
        asAdmin().body(Map.of("role", "tech-lead")).post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(200);
        asAdmin().body(Map.of("role", "astrologer")).post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(400);
        asAdmin().body(Map.of("role", "qa-lead", "step", "nowhere")).post("/api/v1/rollouts/" + key + "/sign-offs")
                .then().statusCode(400).body("errors[0].field", equalTo("step"));
        asAdmin().delete("/api/v1/rollouts/" + key + "/sign-offs/" + id).then().statusCode(200)
                .body("withdrawnBy", equalTo("bootstrap-admin"));
        asAdmin().get("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(200)
                .body("signOffs.find { it.role == 'product' }.actor", containsString("t-product"));
        Api.act(key, "advance");
        asAdmin().body(Map.of("role", "devops", "step", "canary")).post("/api/v1/rollouts/" + key + "/sign-offs")
                .then().statusCode(409);
    }

    @Test
    void shouldSetAndReadTheBaseline() {
        String key = startedCanary("baseline");
        asAdmin().get("/api/v1/rollouts/" + key + "/baseline").then().statusCode(404);
        asAdmin().body(Map.of("metrics", Map.of("cycle_time_p95_ms", 42.0))).post("/api/v1/rollouts/" + key + "/baseline")
                .then().statusCode(200).body("metrics.cycle_time_p95_ms", equalTo(42.0f)).body("source", equalTo("operator"));
        asAdmin().body(Map.of("metrics", Map.of("vibes", 1.0))).post("/api/v1/rollouts/" + key + "/baseline")
                .then().statusCode(400).body("errors[0].field", equalTo("metrics.vibes"));
        as(Api.tokenWith("reader")).body(Map.of("metrics", Map.of("cycle_time_p95_ms", 1.0)))
                .post("/api/v1/rollouts/" + key + "/baseline").then().statusCode(403);
    }

    /** A draft with a canary list and the devops sign-off, started by the operator (gates pass). */
    private String startedCanary(String prefix) {
        String key = Api.createRollout(prefix, "c1", "c2", "c3");
        signOff(key, "canary", "devops");
        asAdmin().post("/api/v1/rollouts/" + key + "/start").then().statusCode(200);
        return key;
    }

    /** At gradual by the evaluator, with a captured baseline of the canary's healthy figures. */
    private String gradualWithHealthyBaseline(String prefix) {
        String key = startedCanary(prefix);
        MutableClock.INSTANCE.advance(Duration.ofHours(4).plusMinutes(1));
        healthyTelemetry(key, 40.0);
        signOff(key, "canary", "product");
        signOff(key, "gradual", "tech-lead");
        evaluate(key);
        assertStep(key, "ACTIVE", "gradual");
        return key;
    }

    private void healthyTelemetry(String key, double p95) {
        as(Api.reporter()).body(Reports.batch("new-" + p95, 10, "new", 1000, 0, p95)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        as(Api.reporter()).body(Reports.batch("legacy-" + p95, 10, "legacy", 1000, 0, p95)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        smokeAllPassed(key);
    }

    private void smokeAllPassed(String key) {
        String at = MutableClock.INSTANCE.instant().minusSeconds(1).toString();
        for (String check : Vocabulary.SMOKE_CHECKS) {
            as(Api.reporter()).body(Map.of("check", check, "passed", true, "value", 100, "unit", "%", "at", at))
                    .post("/api/v1/rollouts/" + key + "/smoke-results").then().statusCode(202);
        }
    }

    private static void signOff(String key, String step, String role) {
        asAdmin().body(Map.of("role", role, "step", step)).post("/api/v1/rollouts/" + key + "/sign-offs")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(201), equalTo(200)));
    }

    private void evaluate(String key) {
        evaluator.evaluate(key);
    }

    private static void assertStep(String key, String status, String step) {
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo(status)).body("step", equalTo(step));
    }
}
