package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class EvaluatorLeadershipTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void shouldLetExactlyOneReplicaLeadAndHandOverWhenItGoes() {
        EvaluatorLeadership first = new EvaluatorLeadership(url, username, password);
        EvaluatorLeadership second = new EvaluatorLeadership(url, username, password);
        try {
            assertTrue(first.isLeader(), "a free lock is taken");
            assertTrue(first.isLeader(), "and kept");
            assertFalse(second.isLeader(), "a second replica does not lead while the first holds the lock");
            first.release();
            assertTrue(second.isLeader(), "the lock is handed over once its connection is gone");
            assertFalse(first.isLeader());
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void shouldCountEvaluationsAndActionsInMetrics() {
        String key = Api.createRollout("metrics", "c1");
        Api.act(key, "start");
        Api.asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("rollout_evaluations_total"))
                .body(containsString("rollout_evaluation_duration_seconds_count"))
                .body(containsString("rollout_percentage{rollout=\"" + key + "\"} 10.0"));
    }

    @Test
    void shouldRefuseToEvaluateADraft() {
        String key = Api.createRollout("draft-evaluate");
        Api.asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(409)
                .contentType("application/problem+json");
    }
}
