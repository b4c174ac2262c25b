package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.config.EmbeddedDatabase;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.EmbeddedPostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.rolloutcontroller.flags.FlagFixtures.reader;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** PostgreSQL stops under the running service: flags keep answering, writes get 503, and it recovers alone. */
@QuarkusTest
class FlagDatabaseDownTest {

    private static final long RECOVERY_MILLIS = 60_000;

    @Inject
    FlagStore store;

    @Test
    void shouldServeFlagsFromTheSnapshotWhileTheDatabaseIsDown() throws InterruptedException {
        EmbeddedDatabase database = EmbeddedPostgresResource.embedded().orElse(null);
        assumeTrue(database != null, "an external database is configured; this test stops the embedded one");
        String token = Api.tokenWith("reader");
        String key = Api.createRollout("db-down", "s1");
        FlagFixtures.act(key, "start");
        String path = "/api/v1/rollouts/" + key + "/flags";
        String body = reader(token).queryParam("session", "s1").get(path).then().statusCode(200).extract().asString();
        String etag = reader(token).queryParam("session", "s1").get(path).header("ETag");

        database.stop();
        try {
            // The safety-net refresh fails now; the snapshot it would replace must survive that.
            store.refresh();

            assertEquals(body, reader(token).queryParam("session", "s1").get(path).then().statusCode(200).extract().asString());
            reader(token).queryParam("session", "s1").header("If-None-Match", etag).get(path).then().statusCode(304);
            reader(token).queryParam("session", "s1").queryParam("format", "env").get(path)
                    .then().statusCode(200).body(equalTo("TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR='true'\n"
                            + "TMUX_ORCHESTRATOR_CANARY_SESSIONS='s1'\nTMUX_ORCHESTRATOR_ROLLOUT_PERCENTAGE='10'\n"
                            + "TMUX_ORCHESTRATOR_SHADOW_MODE='false'\n"));
            reader(token).get(path).then().statusCode(200).body("env.TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR", equalTo("canary"));
            reader(token).get("/api/v1/sessions/s1/flags").then().statusCode(200);
            given().header("X-API-Key", token).contentType("application/json").body("{\"context\":{\"targetingKey\":\"s1\"}}")
                    .post("/ofrep/v1/evaluate/flags/" + key).then().statusCode(200).body("value", equalTo(true));

            Api.asAdmin().body(Map.of("reason", "db down test")).post("/api/v1/rollouts/" + key + "/pause")
                    .then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", not(emptyString()))
                    .body("status", equalTo(503))
                    .body("type", equalTo("/problems/unavailable"))
                    .body("detail", not(org.hamcrest.Matchers.containsString("SQL")));
        } finally {
            database.start();
        }

        int status = 0;
        long deadline = System.currentTimeMillis() + RECOVERY_MILLIS;
        while (status != 200 && System.currentTimeMillis() < deadline) {
            status = Api.asAdmin().body(Map.of("reason", "db is back")).post("/api/v1/rollouts/" + key + "/pause").statusCode();
            if (status != 200) {
                Thread.sleep(500);
            }
        }
        assertEquals(200, status, "writes did not recover after the database came back");
        reader(token).queryParam("session", "s1").get(path).then().statusCode(200).body("status", equalTo("PAUSED"));
        assertTrue(store.snapshot().get(key).orElseThrow().version() >= 3);
    }
}
