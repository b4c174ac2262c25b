package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Control characters in any text a client sends are a 400 naming the field, never a 500 from PostgreSQL. */
@QuarkusTest
class FreeTextInputTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void shouldRefuseARollbackWhoseReasonHoldsANul() {
        String key = Api.createRollout("nul-rollback", "s1");
        Api.act(key, "start");
        asAdmin().body(Map.of("reason", "error rate\u0000 high")).post("/api/v1/rollouts/" + key + "/rollback")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("reason"))
                .body("errors[0].message", containsString("U+0000"));
        asAdmin().body(Map.of("reason", "error rate high\non canary\ttoo")).post("/api/v1/rollouts/" + key + "/rollback")
                .then().statusCode(200).body("status", equalTo("ROLLED_BACK"));
    }

    @Test
    void shouldRefuseControlCharactersInDescriptionsCommentsAndPlanTexts() {
        asAdmin().body(Map.of("key", Api.uniqueKey("nul-desc"), "description", "v2\u0000"))
                .post("/api/v1/rollouts").then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("description"));
        asAdmin().body(Map.of("key", Api.uniqueKey("esc-canary"), "canarySessions", List.of("s1", "s\u001b[2J")))
                .post("/api/v1/rollouts").then().statusCode(400).body("errors[0].field", equalTo("canarySessions[1]"));
        Map<String, Object> gate = Map.of("kind", "soak", "description", "wait\u0007");
        Map<String, Object> step = Map.of("name", "full", "percentage", 100, "soak", "PT1H", "exitGates", List.of(gate));
        asAdmin().body(Map.of("key", Api.uniqueKey("bell-plan"), "plan", Map.of("steps", List.of(step))))
                .post("/api/v1/rollouts").then().statusCode(400)
                .body("errors[0].field", equalTo("plan.steps[0].exitGates[0].description"));

        String key = Api.createRollout("nul-comment");
        asAdmin().body(Map.of("role", "devops", "step", "canary", "comment", "ok\u0000"))
                .post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(400).body("errors[0].field", equalTo("comment"));
        asAdmin().body(Map.of("role", "devops", "step", "canary", "comment", "monitoring ready\nalerts wired"))
                .post("/api/v1/rollouts/" + key + "/sign-offs").then().statusCode(201);
    }

    @Test
    void shouldRefuseControlCharactersInSingleLineFields() {
        String key = Api.createRollout("nul-telemetry");
        String at = MutableClock.INSTANCE.instant().minusSeconds(60).toString();
        as(Api.reporter()).body(Map.of("type", "support-ticket", "count", 1, "ref", "SUP-\u00001", "at", at))
                .post("/api/v1/rollouts/" + key + "/signals").then().statusCode(400).body("errors[0].field", equalTo("ref"));
        as(Api.reporter()).body(Map.of("check", "performance", "passed", true, "value", 12.5, "unit", "ms\n", "at", at))
                .post("/api/v1/rollouts/" + key + "/smoke-results").then().statusCode(400).body("errors[0].field", equalTo("unit"));
        asAdmin().body(Map.of("name", "alice\nadmin", "roles", List.of("reader")))
                .post("/api/v1/tokens").then().statusCode(400).body("errors[0].field", equalTo("name"));
        asAdmin().body(Map.of("url", "https://hooks.example.test/a\u0000b"))
                .post("/api/v1/webhooks").then().statusCode(400).body("errors[0].field", equalTo("url"));
    }

    @Test
    void shouldRefuseDuplicateAndUnknownMembersOnOperatorEndpoints() {
        String key = Api.uniqueKey("dup");
        asAdmin().body("{\"key\":\"" + key + "\",\"key\":\"other-" + key + "\"}").post("/api/v1/rollouts")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("a member appears twice"));
        asAdmin().body(Map.of("key", key, "colour", "blue")).post("/api/v1/rollouts")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("colour"))
                .body("errors[0].message", containsString("unknown member"));
        String created = Api.createRollout("unknown-action");
        asAdmin().body(Map.of("reason", "x", "forse", true)).post("/api/v1/rollouts/" + created + "/pause")
                .then().statusCode(400).body("errors[0].field", equalTo("forse"));
    }

    @Test
    void shouldIgnoreUnknownMembersInTelemetry() {
        String key = Api.createRollout("unknown-telemetry");
        String at = MutableClock.INSTANCE.instant().minusSeconds(60).toString();
        as(Api.reporter()).body(Map.of("type", "note", "count", 1, "ref", "N-1", "at", at, "daemonVersion", "2.1"))
                .post("/api/v1/rollouts/" + key + "/signals").then().statusCode(202).body("accepted", equalTo(1));
    }
}
