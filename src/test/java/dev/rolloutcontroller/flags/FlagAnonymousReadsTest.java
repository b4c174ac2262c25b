package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

/** With rollout.security.anonymous-reads=true, reads need no token; writes still do, and a bad token is still refused. */
@QuarkusTest
@TestProfile(FlagAnonymousReadsTest.AnonymousReads.class)
class FlagAnonymousReadsTest {

    public static class AnonymousReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollout.security.anonymous-reads", "true");
        }
    }

    @Test
    void shouldServeReadsWithoutAToken() {
        String key = Api.createRollout("anonymous", "s1");
        given().queryParam("session", "s1").get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(200).body("reason", equalTo("DRAFT"));
        given().get("/api/v1/sessions/s1/flags").then().statusCode(200);
        given().contentType("application/json").body("{\"context\":{\"targetingKey\":\"s1\"}}")
                .post("/ofrep/v1/evaluate/flags/" + key).then().statusCode(200).body("value", equalTo(false));
        given().get("/api/v1/rollouts/" + key).then().statusCode(200);
    }

    @Test
    void shouldStillRefuseWritesAndBadTokens() {
        String key = Api.createRollout("anonymous-write");
        given().contentType("application/json").post("/api/v1/rollouts/" + key + "/start")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("key", Api.uniqueKey("anon"))).post("/api/v1/rollouts")
                .then().statusCode(401);
        given().header("Authorization", "Bearer rc_wrong").get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("X-API-Key", "rc_wrong").contentType("application/json").body("{\"context\":{\"targetingKey\":\"s1\"}}")
                .post("/ofrep/v1/evaluate/flags/" + key).then().statusCode(401).body(emptyString());
    }
}
