package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.Bucketing;
import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.flags.FlagFixtures.reader;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Many sessions for one rollout, and every rollout for one session. */
@QuarkusTest
class FlagBulkTest {

    private String token;

    @BeforeEach
    void createReaderToken() {
        token = Api.tokenWith("reader");
    }

    @Test
    void shouldDecideTenThousandSessionsInOneRequest() {
        String key = Api.createRollout("evaluate", "canary-1");
        FlagFixtures.act(key, "start");
        List<String> sessions = new ArrayList<>();
        sessions.add("canary-1");
        for (int i = 1; i < 10_000; i++) {
            sessions.add("session-" + i);
        }
        Map<String, Boolean> decisions = reader(token).contentType("application/json").body(Map.of("sessions", sessions))
                .post("/api/v1/rollouts/" + key + "/flags/evaluate")
                .then().statusCode(200)
                .body("rollout", equalTo(key))
                .body("version", equalTo(2))
                .extract().jsonPath().getMap("decisions", String.class, Boolean.class);
        assertEquals(10_000, decisions.size());
        assertEquals(true, decisions.get("canary-1"));
        for (int i = 1; i < 10_000; i++) {
            String session = "session-" + i;
            assertEquals(Bucketing.bucket(key, session) <= 10, decisions.get(session), session);
        }
    }

    @Test
    void shouldRejectTooManyOrInvalidSessions() {
        String key = Api.createRollout("evaluate-invalid");
        String path = "/api/v1/rollouts/" + key + "/flags/evaluate";
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            tooMany.add("s" + i);
        }
        reader(token).contentType("application/json").body(Map.of("sessions", tooMany)).post(path)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("sessions"));
        reader(token).contentType("application/json").body(Map.of("sessions", List.of("ok", "not ok", "a,b"))).post(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("sessions[1]", "sessions[2]"));
        reader(token).contentType("application/json").body(Map.of()).post(path)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("sessions"));
        reader(token).contentType("application/json").body(Map.of("sessions", List.of("s1")))
                .post("/api/v1/rollouts/no-such-rollout/flags/evaluate")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldListEveryRolloutForOneSession() {
        String draft = Api.createRollout("all-draft", "s1");
        String live = Api.createRollout("all-live", "s1");
        FlagFixtures.act(live, "start");
        reader(token).get("/api/v1/sessions/s1/flags")
                .then().statusCode(200).contentType("application/json")
                .body("session", equalTo("s1"))
                .body("flags.find { it.rollout == '" + draft + "' }.enabled", equalTo(false))
                .body("flags.find { it.rollout == '" + draft + "' }.reason", equalTo("DRAFT"))
                .body("flags.find { it.rollout == '" + live + "' }.enabled", equalTo(true))
                .body("flags.find { it.rollout == '" + live + "' }.reason", equalTo("CANARY_LIST"))
                .body("flags.find { it.rollout == '" + live + "' }.env.TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR", equalTo("true"))
                .body("flags.find { it.rollout == '" + live + "' }.version", equalTo(2));
    }

    @Test
    void shouldRejectInvalidSessionIdInPath() {
        reader(token).get("/api/v1/sessions/{id}/flags", "a b")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("sessionId"));
    }
}
