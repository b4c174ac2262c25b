package dev.rolloutcontroller.notify;

import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class WebhookResourceTest {

    static final String PROBLEM = "application/problem+json";

    @Test
    void shouldSubscribeAndNeverShowTheSecret() {
        String secret = "a-secret-of-at-least-16-chars";
        ExtractableResponse<Response> created = asAdmin()
                .body(Map.of("url", "https://hooks.example.test/services/T0/B0/x", "format", "slack", "secret", secret,
                        "events", List.of("trigger.breached", "rollout.completed"), "rollouts", List.of("modular-monitor")))
                .post("/api/v1/webhooks").then().statusCode(201)
                .body("$", not(hasKey("secret")))
                .body("url", equalTo("https://hooks.example.test/services/T0/B0/x"))
                .body("signed", equalTo(true))
                .body("format", equalTo("slack"))
                .body("events", equalTo(List.of("trigger.breached", "rollout.completed")))
                .body("allEvents", equalTo(false))
                .body("rollouts", equalTo(List.of("modular-monitor")))
                .body("createdBy", equalTo("bootstrap-admin"))
                .extract();
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith("/api/v1/webhooks/" + id), created.header("Location"));
        try {
            String listed = asAdmin().get("/api/v1/webhooks").then().statusCode(200).extract().asString();
            String single = asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(200).body("id", equalTo(id)).extract().asString();
            assertFalse(listed.contains(secret) || single.contains(secret), "the secret leaked: " + listed + single);
        } finally {
            asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        }
        asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(404).contentType(PROBLEM);
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void shouldDefaultToEveryEventEveryRolloutAndJson() {
        String id = asAdmin().body(Map.of("url", "http://localhost:9/hook")).post("/api/v1/webhooks").then().statusCode(201)
                .body("format", equalTo("json"))
                .body("allEvents", equalTo(true))
                .body("events", equalTo(NotificationType.subscribable()))
                .body("rollouts", nullValue())
                .body("signed", equalTo(false))
                .extract().path("id");
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', value = {
            "ftp://hooks.example.test/x          | only http and https",
            "file:///etc/passwd                  | only http and https",
            "javascript:alert(1)                 | only http and https",
            "hooks.example.test/x                | only http and https",
            "http://exa mple.test/x              | not a valid URL",
            "http:///x                           | needs a host",
            "https://user:pw@hooks.example.test/ | credentials",
            "https://hooks.example.test/x#frag   | fragment",
            "http://169.254.169.254/latest       | not in rollout.webhooks.allowed-hosts",
            "https://internal.corp/hook          | not in rollout.webhooks.allowed-hosts",
            "https://example.test.evil.com/      | not in rollout.webhooks.allowed-hosts"})
    void shouldRefuseABadUrlOrScheme(String url, String message) {
        asAdmin().body(Map.of("url", url)).post("/api/v1/webhooks").then()
                .statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("url"))
                .body("errors[0].message", containsString(message));
    }

    @Test
    void shouldListEveryInvalidField() {
        asAdmin().body(Map.of("events", List.of("rollout.started", "rollout.exploded"), "format", "xml", "secret", "short",
                        "rollouts", List.of("Not A Key")))
                .post("/api/v1/webhooks").then()
                .statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("url", "events[1]", "format", "secret", "rollouts[0]")));
        asAdmin().body(Map.of("url", "http://localhost/x", "events", List.of(), "rollouts", List.of())).post("/api/v1/webhooks")
                .then().statusCode(400).body("errors.field", equalTo(List.of("events", "rollouts")));
        asAdmin().body(Map.of("url", "http://localhost/x", "events", List.of("webhook.test"))).post("/api/v1/webhooks")
                .then().statusCode(400).body("errors[0].field", equalTo("events[0]"));
        asAdmin().contentType("application/json").body("{\"url\": 42, ").post("/api/v1/webhooks").then()
                .statusCode(400).contentType(PROBLEM);
        asAdmin().body(Map.of("url", "http://localhost/x", "events", "rollout.started")).post("/api/v1/webhooks").then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("events"));
        asAdmin().post("/api/v1/webhooks").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void shouldAnswerNotFoundForUnknownSubscriptions() {
        for (String id : List.of("6f1c6b1e-3b0a-4c1e-9a51-2f3f1b9d0c11", "not-a-uuid")) {
            asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(404).contentType(PROBLEM);
            asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(404).contentType(PROBLEM);
            asAdmin().post("/api/v1/webhooks/" + id + "/test").then().statusCode(404).contentType(PROBLEM);
        }
    }

    @Test
    void shouldPageDeliveriesAndCheckTheLimit() {
        String id = asAdmin().body(Map.of("url", "http://localhost:9/hook", "rollouts", List.of(Api.uniqueKey("none"))))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        try {
            for (int i = 0; i < 3; i++) {
                asAdmin().post("/api/v1/webhooks/" + id + "/test").then().statusCode(202);
            }
            int newest = asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?limit=2").then().statusCode(200)
                    .body("deliveries.size()", equalTo(2))
                    .body("deliveries.type", hasItem("webhook.test"))
                    .body("deliveries.status", hasItem("PENDING"))
                    .extract().path("nextBefore");
            asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?limit=2&before=" + newest).then().statusCode(200)
                    .body("deliveries.size()", equalTo(1))
                    .body("nextBefore", nullValue());
            asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?limit=0").then().statusCode(400).contentType(PROBLEM);
            asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?limit=201").then().statusCode(400).contentType(PROBLEM);
        } finally {
            asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        }
    }

    @Test
    void shouldRequireTheAdminRole() {
        String operator = Api.tokenWith("operator");
        as(operator).body(Map.of("url", "http://localhost/x")).post("/api/v1/webhooks").then().statusCode(403).contentType(PROBLEM);
        as(operator).get("/api/v1/webhooks").then().statusCode(403).contentType(PROBLEM);
        RestAssured.given().get("/api/v1/webhooks").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void shouldAuditSubscribingWithoutTheSecretOrUrlPath() {
        String secret = "audited-secret-0123456789";
        String id = asAdmin().body(Map.of("url", "http://localhost:9/private/path", "secret", secret))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        String mine = QuarkusTransaction.requiringNew().call(() -> EventEntity
                .<EventEntity>list("type in ?1 order by id", List.of("webhook.created", "webhook.deleted")).stream()
                .filter(e -> id.equals((e.after != null ? e.after : e.before).get("id")))
                .map(e -> e.type + " " + e.before + " " + e.after).toList().toString());
        assertTrue(mine.contains("webhook.created") && mine.contains("webhook.deleted"), mine);
        assertFalse(mine.contains(secret) || mine.contains("/private/path"), mine);
    }
}
