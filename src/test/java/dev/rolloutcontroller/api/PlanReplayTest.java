package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.support.Reports;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.rolloutcontroller.api.PlanEditTest.plan;
import static dev.rolloutcontroller.api.PlanEditTest.started;
import static dev.rolloutcontroller.api.PlanEditTest.trigger;
import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

/**
 * What-if replays through the API: the current plan by default, a submitted plan, the first difference from the
 * journal, the dry run of a plan edit, and the bounds of the period.
 */
@QuarkusTest
class PlanReplayTest {

    @Test
    void shouldReplayTheCurrentPlanOverTheLast24HoursByDefault() {
        String key = started("replay-default");
        MutableClock.INSTANCE.advance(Duration.ofMinutes(5));
        asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200);

        asAdmin().body(Map.of()).post("/api/v1/rollouts/" + key + "/replay").then().statusCode(200)
                .body("plan", equalTo("current")).body("planVersion", equalTo(1))
                .body("interval", equalTo("PT10S"))
                .body("passes", equalTo(24 * 360 + 1))
                .body("start.status", equalTo("DRAFT"))
                .body("end.status", equalTo("ACTIVE")).body("end.step", equalTo("canary"))
                .body("operatorActionsApplied", equalTo(1))
                .body("actualActions.NONE", equalTo(1))
                .body("limits", hasItem(startsWith("sign-offs count as recorded")));
    }

    /**
     * 1% errors over 10,000 cycles: the checklist's 5% trigger holds, a 0.5% trigger rolls back at the first pass
     * that sees the reports, which is where the replay first differs from the journal.
     */
    @Test
    void shouldShowWhereAStricterTriggerWouldHaveRolledBack() {
        String key = started("replay-stricter");
        MutableClock.INSTANCE.advance(Duration.ofMinutes(2));
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 10, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        Instant from = MutableClock.INSTANCE.instant().minusSeconds(5);
        asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200).body("action", equalTo("NONE"));
        MutableClock.INSTANCE.advance(Duration.ofSeconds(30));
        Instant to = MutableClock.INSTANCE.instant();

        asAdmin().body(Map.of("from", from.toString(), "to", to.toString())).post("/api/v1/rollouts/" + key + "/replay")
                .then().statusCode(200)
                .body("replayedActions", not(hasKey("ROLLBACK")))
                .body("$", not(hasKey("firstDifference")));

        Map<String, Object> stricter = plan(key);
        trigger(stricter, 0).put("threshold", 0.005);
        asAdmin().body(Map.of("plan", stricter, "from", from.toString(), "to", to.toString()))
                .post("/api/v1/rollouts/" + key + "/replay").then().statusCode(200)
                .body("plan", equalTo("submitted"))
                .body("passes", equalTo(4))
                .body("replayedActions.ROLLBACK", equalTo(1))
                .body("end.status", equalTo("ROLLED_BACK"))
                .body("decisions[0].replayed.action", equalTo("ROLLBACK"))
                .body("decisions[0].actual.action", equalTo("NONE"))
                .body("decisions[0].differs", equalTo(true))
                .body("firstDifference.at", equalTo(from.toString()))
                .body("firstDifference.replayed.action", equalTo("ROLLBACK"))
                .body("firstDifference.reason", containsString("error_rate"))
                .body("firstDifference.actual.action", equalTo("NONE"))
                .body("firstDifference.actualPlanVersion", equalTo(1));
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void shouldAnswerADryRunWithTheReplayAndSaveNothing() {
        String key = started("replay-dry");
        Map<String, Object> plan = plan(key);
        trigger(plan, 0).put("threshold", 0.03);
        asAdmin().header("If-Match", "\"2\"").body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan?dryRun=true")
                .then().statusCode(200)
                .body("plan", equalTo("submitted")).body("passes", equalTo(24 * 360 + 1)).body("end.step", equalTo("canary"));
        asAdmin().get("/api/v1/rollouts/" + key + "/plan/history").then().body("versions.version", contains(1));
        asAdmin().get("/api/v1/rollouts/" + key).then().body("version", equalTo(2));

        PlanEditTest.step(plan, 0).put("percentage", 20);
        asAdmin().body(Map.of("plan", plan)).put("/api/v1/rollouts/" + key + "/plan?dryRun=true")
                .then().statusCode(400).body("errors.field", contains("plan.steps[0].percentage"));
    }

    @Test
    void shouldRefuseAPeriodLongerThanSevenDaysOrInTheFuture() {
        String key = started("replay-bounds");
        Instant now = MutableClock.INSTANCE.instant();
        asAdmin().body(Map.of("from", now.minus(Duration.ofDays(8)).toString(), "to", now.toString()))
                .post("/api/v1/rollouts/" + key + "/replay").then().statusCode(400).body("errors.field", contains("from"));
        asAdmin().body(Map.of("to", now.plus(Duration.ofHours(1)).toString()))
                .post("/api/v1/rollouts/" + key + "/replay").then().statusCode(400).body("errors.field", contains("to"));
        asAdmin().body(Map.of("from", now.toString(), "to", now.minusSeconds(60).toString()))
                .post("/api/v1/rollouts/" + key + "/replay").then().statusCode(400).body("errors.field", contains("from"));
        Map<String, Object> invalid = plan(key);
        trigger(invalid, 0).put("op", "about");
        asAdmin().body(Map.of("plan", invalid)).post("/api/v1/rollouts/" + key + "/replay")
                .then().statusCode(400).body("errors.field", contains("plan.triggers[0].op"));
    }
}
