package dev.rolloutcontroller.api;

import dev.rolloutcontroller.config.EmbeddedDatabase;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.EmbeddedPostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** With PostgreSQL gone, the very first request that needs it is already a 503 with Retry-After. */
@QuarkusTest
class DatabaseDownTest {

    private static final long RECOVERY_MILLIS = 60_000;

    @Test
    void shouldAnswer503FromTheFirstFailureOn() throws InterruptedException {
        EmbeddedDatabase database = EmbeddedPostgresResource.embedded().orElse(null);
        assumeTrue(database != null, "an external database is configured; this test stops the embedded one");
        String key = Api.createRollout("db-gone", "s1");
        database.stop();
        try {
            unavailable(asAdmin().get("/api/v1/rollouts/" + key));
            unavailable(asAdmin().get("/api/v1/rollouts/" + key + "/events"));
            unavailable(asAdmin().body(Map.of("key", Api.uniqueKey("db-gone-create"))).post("/api/v1/rollouts"));
            unavailable(asAdmin().body(Map.of("sessions", List.of("s2"))).put("/api/v1/rollouts/" + key + "/canary-sessions"));
            unavailable(asAdmin().get("/api/v1/rollouts"));
        } finally {
            database.start();
        }
        int status = 0;
        long deadline = System.currentTimeMillis() + RECOVERY_MILLIS;
        while (status != 200 && System.currentTimeMillis() < deadline) {
            status = asAdmin().get("/api/v1/rollouts/" + key).statusCode();
            if (status != 200) {
                Thread.sleep(500);
            }
        }
        assertEquals(200, status, "reads did not recover after the database came back");
    }

    private static void unavailable(io.restassured.response.Response response) {
        ValidatableResponse then = response.then();
        then.statusCode(503).contentType("application/problem+json")
                .header("Retry-After", not(emptyOrNullString()))
                .body("type", equalTo("/problems/unavailable"));
    }
}
