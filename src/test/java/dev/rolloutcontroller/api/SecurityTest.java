package dev.rolloutcontroller.api;

import dev.rolloutcontroller.persistence.ApiTokenEntity;
import dev.rolloutcontroller.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
class SecurityTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void shouldAnswer401WithChallengeWithoutToken() {
        given().get("/api/v1/rollouts")
                .then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
        given().header("Authorization", "Bearer rc_not-a-real-token").get("/api/v1/rollouts")
                .then().statusCode(401);
    }

    @Test
    void shouldAcceptTokenAsApiKeyHeader() {
        String reader = Api.tokenWith("reader");
        given().header("X-API-Key", reader).get("/api/v1/rollouts").then().statusCode(200);
    }

    /** Each role against each kind of endpoint: a row says which statuses a role gets. */
    @ParameterizedTest(name = "{0}: create={1} act={2} canary={3} read={4} tokens={5}")
    @CsvSource({
            "reader,    403, 403, 403, 200, 403",
            "reporter,  403, 403, 403, 200, 403",
            "operator,  403, 200, 200, 200, 403",
            "qa-lead,   403, 403, 403, 200, 403",
            "tech-lead, 403, 403, 403, 200, 403",
            "devops,    403, 403, 403, 200, 403",
            "product,   403, 403, 403, 200, 403",
            "security,  403, 403, 403, 200, 403",
            "admin,     201, 200, 200, 200, 200",
    })
    void shouldAuthoriseEachRole(String role, int create, int act, int canary, int read, int tokens) {
        String token = Api.tokenWith(role);
        String key = Api.createRollout("roles");
        as(token).body(Map.of("key", Api.uniqueKey("by-" + role))).post("/api/v1/rollouts").then().statusCode(create);
        as(token).body(Api.FORCED).post("/api/v1/rollouts/" + key + "/start").then().statusCode(act);
        as(token).body(Map.of("sessions", List.of("s1"))).put("/api/v1/rollouts/" + key + "/canary-sessions").then().statusCode(canary);
        as(token).post("/api/v1/rollouts/" + key + "/canary-sessions/s2").then().statusCode(canary);
        as(token).get("/api/v1/rollouts/" + key).then().statusCode(read);
        as(token).get("/api/v1/rollouts/" + key + "/events").then().statusCode(read);
        as(token).get("/api/v1/tokens").then().statusCode(tokens);
        if (act == 403) {
            as(token).body(Api.FORCED).post("/api/v1/rollouts/" + key + "/start").then().contentType(PROBLEM)
                    .body("detail", org.hamcrest.Matchers.containsString("operator"));
        }
    }

    @Test
    void shouldShowSecretOnceAndStoreOnlyItsHash() {
        Map<String, Object> created = asAdmin().body(Map.of("name", Api.uniqueKey("ci"), "roles", List.of("reader", "reporter")))
                .post("/api/v1/tokens")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/tokens/"))
                .body("token", startsWith("rc_"))
                .body("roles", hasItem("reporter"))
                .extract().as(Map.class);
        String secret = (String) created.get("token");
        String id = (String) created.get("id");
        asAdmin().get("/api/v1/tokens").then().statusCode(200)
                .body("tokens.id", hasItem(id))
                .body(not(org.hamcrest.Matchers.containsString(secret)));
        ApiTokenEntity stored = QuarkusTransaction.requiringNew().call(() -> ApiTokenEntity.findById(java.util.UUID.fromString(id)));
        assertNotEquals(secret, stored.secretHash);
        assertEquals(64, stored.secretHash.trim().length());
        assertFalse(stored.secretHash.contains(secret.substring(3, 20)));
    }

    @Test
    void shouldStopAcceptingRevokedTokenAtOnce() {
        Map<String, Object> created = asAdmin().body(Map.of("name", Api.uniqueKey("revoke"), "roles", List.of("reader")))
                .post("/api/v1/tokens").then().statusCode(201).extract().as(Map.class);
        String secret = (String) created.get("token");
        as(secret).get("/api/v1/rollouts").then().statusCode(200);
        asAdmin().delete("/api/v1/tokens/" + created.get("id")).then().statusCode(204);
        as(secret).get("/api/v1/rollouts").then().statusCode(401);
        asAdmin().get("/api/v1/tokens").then()
                .body("tokens.find { it.id == '" + created.get("id") + "' }.revokedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldValidateTokenRequests() {
        asAdmin().body(Map.of("name", "", "roles", List.of("root"))).post("/api/v1/tokens")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("roles[0]"));
        asAdmin().delete("/api/v1/tokens/not-a-uuid").then().statusCode(404).contentType(PROBLEM);
        asAdmin().delete("/api/v1/tokens/" + java.util.UUID.randomUUID()).then().statusCode(404);
        String name = Api.uniqueKey("same");
        asAdmin().body(Map.of("name", name, "roles", List.of("reader"))).post("/api/v1/tokens").then().statusCode(201);
        asAdmin().body(Map.of("name", name, "roles", List.of("reader"))).post("/api/v1/tokens").then().statusCode(409);
    }

    @Test
    void shouldRecordActorFromTokenName() {
        String name = Api.uniqueKey("alice");
        String secret = asAdmin().body(Map.of("name", name, "roles", List.of("operator")))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        String key = Api.createRollout("actor");
        as(secret).body(Api.FORCED).post("/api/v1/rollouts/" + key + "/start").then().statusCode(200);
        asAdmin().get("/api/v1/rollouts/" + key + "/events").then().body("events[0].actor", equalTo(name));
    }

    @Test
    void shouldKeepOperationalEndpointsOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/rollouts/{key}/{action}"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
