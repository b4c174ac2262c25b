package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.CapturedLog;
import dev.rolloutcontroller.support.Reports;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing an operator can put in a valid plan stops the evaluator's rollback. */
@QuarkusTest
class AutomaticActionTest {

    private static final String EVALUATOR_LOG = RolloutEvaluator.class.getName();
    /** Where Hibernate logs the SQL error a refused statement gets. */
    private static final String JDBC_ERROR_LOG = "org.hibernate.orm.jdbc.error";
    /** The action log, whose line for evaluator.failed quotes the database's "ERROR: ..." message. */
    private static final String ACTION_LOG = "dev.rolloutcontroller.action";

    @Inject
    RolloutEvaluator evaluator;

    @Inject
    AgroalDataSource dataSource;

    private final List<String> subscriptions = new ArrayList<>();

    /** A subscription's pending deliveries go with it, so no other test's webhook worker tries to send them. */
    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(id -> asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204));
    }

    @Test
    void shouldRollBackWhenSixTriggersWithLongDescriptionsAllBreach() {
        String key = startedWithTriggers("long-triggers", 6, 480);
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 200, 40.0))
                .post("/api/v1/rollouts/" + key + "/reports").then().statusCode(202);

        evaluator.evaluate(key);

        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ROLLED_BACK"));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].type", equalTo("rollout.rolled-back"))
                .body("events[0].actor", equalTo("evaluator"))
                .body("events[0].reason.length()", lessThanOrEqualTo(2000));
    }

    /** The worst a valid plan allows: the most steps and triggers, every description at its limit. */
    @Test
    void shouldRollBackWithTheLargestPlanAllowed() {
        String key = startedWithTriggers("largest-plan", 50, 500);
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 200, 40.0))
                .post("/api/v1/rollouts/" + key + "/reports").then().statusCode(202);

        evaluator.evaluate(key);

        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ROLLED_BACK"));
    }

    /**
     * A database that refuses the change (a trigger raising on this rollout's row): each pass journals the
     * failure and counts it, the streak sends one evaluator.failed notification, and once the database
     * takes changes again the next pass rolls back.
     */
    @Test
    void shouldJournalCountAndAnnounceOnceWhenApplyingFails() throws Exception {
        String key = startedWithTriggers("refused", 1, 20);
        String subscription = asAdmin().body(Map.of("url", "https://hooks.example.test/failures",
                        "events", List.of("evaluator.failed"), "rollouts", List.of(key)))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        subscriptions.add(subscription);
        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 200, 40.0))
                .post("/api/v1/rollouts/" + key + "/reports").then().statusCode(202);
        double failuresBefore = failuresCounted();
        String guard = "refuse_" + key.replace('-', '_');
        sql("create function " + guard + "() returns trigger language plpgsql as $$ begin "
                + "raise exception 'simulated outage of %', old.key; end $$");
        sql("create trigger " + guard + " before update on rollouts for each row when (old.key = '" + key + "') "
                + "execute function " + guard + "()");
        // The refused update is logged as it would be in production (the streak's first failure at ERROR):
        // captured here, out of the build output, and asserted.
        try (CapturedLog log = CapturedLog.of(EVALUATOR_LOG, JDBC_ERROR_LOG, ACTION_LOG)) {
            for (int pass = 0; pass < 2; pass++) {
                EvaluationView failed = evaluator.evaluate(key).orElseThrow();
                assertEquals("ROLLBACK", failed.action());
                assertTrue(failed.failure().contains("simulated outage"), failed.failure());
            }
            assertEquals(1, log.count(EVALUATOR_LOG, Level.SEVERE, "evaluating rollout " + key + " failed (decided ROLLBACK)"),
                    "the streak's first failure is logged once at ERROR");
            assertEquals(1, log.count(EVALUATOR_LOG, Level.WARNING, "evaluating rollout " + key + " failed again"),
                    "a repeated failure only at WARN");
            assertEquals(1, log.count(ACTION_LOG, Level.INFO, "rollout " + key + ": evaluator.failed by evaluator"));
        } finally {
            sql("drop trigger " + guard + " on rollouts");
            sql("drop function " + guard + "()");
        }
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ACTIVE"));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=5").then()
                .body("evaluations.failure", everyItem(containsString("simulated outage")))
                .body("evaluations.size()", equalTo(2));
        assertEquals(2, failuresCounted() - failuresBefore, "each failed pass is counted");
        List<String> types = asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=50").then().extract().path("events.type");
        assertEquals(1, types.stream().filter("evaluator.failed"::equals).count(), "one event per failure streak");
        asAdmin().get("/api/v1/webhooks/" + subscription + "/deliveries").then().statusCode(200)
                .body("deliveries.size()", equalTo(1)).body("deliveries[0].type", equalTo("evaluator.failed"));

        double rollbacksBefore = EvaluatorLoopTest.actions("rollback", "evaluator");

        evaluator.evaluate(key);

        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ROLLED_BACK"));
        assertEquals(1, EvaluatorLoopTest.actions("rollback", "evaluator") - rollbacksBefore, "counted as the evaluator's");
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("ROLLBACK"))
                .body("evaluations[0]", not(hasKey("failure")));
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement run = connection.createStatement()) {
            run.execute(statement);
        }
    }

    private static double failuresCounted() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("rollout_evaluator_failures_total{") && line.contains("action=\"rollback\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** A started rollout whose plan has {@code triggers} error-rate rollback triggers with long descriptions. */
    static String startedWithTriggers(String prefix, int triggers, int descriptionLength) {
        String key = Api.uniqueKey(prefix);
        List<Map<String, Object>> steps = new ArrayList<>();
        int stepCount = triggers >= 50 ? 20 : 2;
        for (int i = 0; i < stepCount; i++) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("name", "step-" + i);
            step.put("percentage", i == stepCount - 1 ? 100 : 10);
            step.put("soak", "PT1H");
            step.put("exitGates", List.of(Map.of("kind", "soak", "description", "s".repeat(descriptionLength))));
            steps.add(step);
        }
        List<Map<String, Object>> triggerList = new ArrayList<>();
        for (int i = 0; i < triggers; i++) {
            triggerList.add(Map.of("metric", "error_rate", "op", ">", "threshold", 0.05, "minSamples", 100,
                    "action", "rollback", "description", (char) ('a' + i % 26) + "x".repeat(descriptionLength - 1)));
        }
        asAdmin().body(Map.of("key", key, "plan", Map.of("steps", steps, "triggers", triggerList)))
                .post("/api/v1/rollouts").then().statusCode(201);
        asAdmin().post("/api/v1/rollouts/" + key + "/start").then().statusCode(200);
        return key;
    }
}
