package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.flags.FlagFixtures.Stage;
import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.flags.FlagFixtures.reader;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The flag contract through the API: every stage of a rollout, with the percentage boundaries. */
@QuarkusTest
class FlagDecisionTableTest {

    private static final String FLAG = "TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR";
    private static final String CANARY = "TMUX_ORCHESTRATOR_CANARY_SESSIONS";
    private static final String PERCENTAGE = "TMUX_ORCHESTRATOR_ROLLOUT_PERCENTAGE";
    private static final String SHADOW = "TMUX_ORCHESTRATOR_SHADOW_MODE";

    private String token;

    @BeforeEach
    void createReaderToken() {
        token = Api.tokenWith("reader");
    }

    /** A session in (or out of) the canary list with the given bucket, at each stage. */
    @ParameterizedTest(name = "{0}: canary={1} bucket={2} -> enabled={3} {4}")
    @CsvSource({
            "DRAFT,                    true,  1,   false, DRAFT",
            "DRAFT,                    false, 1,   false, DRAFT",
            "SHADOW,                   true,  1,   false, SHADOW",
            "SHADOW,                   false, 1,   false, SHADOW",
            "CANARY,                   true,  100, true,  CANARY_LIST",
            "CANARY,                   false, 1,   true,  PERCENTAGE",
            "CANARY,                   false, 10,  true,  PERCENTAGE",
            "CANARY,                   false, 11,  false, NOT_SELECTED",
            "CANARY,                   false, 100, false, NOT_SELECTED",
            "GRADUAL,                  true,  100, true,  CANARY_LIST",
            "GRADUAL,                  false, 10,  true,  PERCENTAGE",
            "GRADUAL,                  false, 50,  true,  PERCENTAGE",
            "GRADUAL,                  false, 51,  false, NOT_SELECTED",
            "FULL,                     true,  100, true,  FULL",
            "FULL,                     false, 100, true,  FULL",
            "COMPLETED,                false, 100, true,  FULL",
            "PAUSED_AT_GRADUAL,        false, 50,  true,  PERCENTAGE",
            "PAUSED_AT_GRADUAL,        false, 51,  false, NOT_SELECTED",
            "PAUSED_AT_GRADUAL,        true,  51,  true,  CANARY_LIST",
            "ROLLED_BACK_FROM_GRADUAL, true,  1,   false, ROLLED_BACK",
            "ROLLED_BACK_FROM_GRADUAL, false, 1,   false, ROLLED_BACK",
    })
    void shouldDecideEachSessionByStageCanaryListAndBucket(Stage stage, boolean inCanary, int bucket, boolean enabled, String reason) {
        String key = Api.uniqueKey("table");
        String session = FlagFixtures.sessionWithBucket(key, "s", bucket);
        FlagFixtures.createAt(key, stage, inCanary ? List.of("other", session) : List.of("other"));

        reader(token).queryParam("session", session).get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(200).contentType("application/json")
                .body("rollout", equalTo(key))
                .body("session", equalTo(session))
                .body("enabled", equalTo(enabled))
                .body("reason", equalTo(reason))
                .body("bucket", equalTo(bucket))
                .body("version", equalTo(1 + stage.actions.size()))
                .body("env." + FLAG, equalTo(String.valueOf(enabled)));
        String text = reader(token).queryParam("session", session).queryParam("format", "env")
                .get("/api/v1/rollouts/" + key + "/flags").then().statusCode(200).extract().asString();
        assertEquals(FLAG + "='" + enabled + "'", text.lines().findFirst().orElseThrow());
    }

    /** The fleet view: exactly the variables the checklist exported by hand. */
    @ParameterizedTest(name = "{0}: {1} {2} {3}% shadow={4} flag={5}")
    @CsvSource({
            "DRAFT,                    DRAFT,       canary,  0,   false, false",
            "SHADOW,                   ACTIVE,      shadow,  0,   true,  false",
            "CANARY,                   ACTIVE,      canary,  10,  false, canary",
            "GRADUAL,                  ACTIVE,      gradual, 50,  false, canary",
            "FULL,                     ACTIVE,      full,    100, false, true",
            "COMPLETED,                COMPLETED,   full,    100, false, true",
            "PAUSED_AT_GRADUAL,        PAUSED,      gradual, 50,  false, canary",
            "ROLLED_BACK_FROM_GRADUAL, ROLLED_BACK, gradual, 0,   false, false",
    })
    void shouldServeFleetViewAsTheChecklistExportedIt(Stage stage, String status, String step, int percentage, boolean shadow, String flag) {
        String key = Api.uniqueKey("fleet");
        FlagFixtures.createAt(key, stage, List.of("session1", "session2", "session3"));

        Map<String, String> env = reader(token).get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(200).contentType("application/json")
                .body("rollout", equalTo(key))
                .body("status", equalTo(status))
                .body("step", equalTo(step))
                .body("percentage", equalTo(percentage))
                .body("shadowMode", equalTo(shadow))
                .body("version", equalTo(1 + stage.actions.size()))
                .extract().jsonPath().getMap("env", String.class, String.class);
        assertEquals(Map.of(FLAG, flag, CANARY, "session1,session2,session3", PERCENTAGE, String.valueOf(percentage),
                SHADOW, String.valueOf(shadow)), env);

        String text = reader(token).accept("text/plain").get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(200).contentType("text/plain").extract().asString();
        assertEquals(FLAG + "='" + flag + "'\n" + CANARY + "='session1,session2,session3'\n" + PERCENTAGE + "='" + percentage + "'\n"
                + SHADOW + "='" + shadow + "'\n", text);
    }

    @Test
    void shouldNameVariablesAfterTheRolloutsEnvMapping() {
        String key = Api.uniqueKey("mapping");
        Api.asAdmin().body(Map.of("key", key, "envPrefix", "ORC_", "flagVariable", "NEW_SCHEDULER", "canarySessions", List.of("a")))
                .post("/api/v1/rollouts").then().statusCode(201);
        reader(token).queryParam("format", "env").get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(200)
                .body(equalTo("ORC_NEW_SCHEDULER='false'\nORC_CANARY_SESSIONS='a'\nORC_ROLLOUT_PERCENTAGE='0'\nORC_SHADOW_MODE='false'\n"));
    }

    @Test
    void shouldKeepSessionsSwitchedOnAsThePercentageGrows() {
        String key = Api.uniqueKey("monotonic");
        String session = FlagFixtures.sessionWithBucket(key, "s", 7);
        FlagFixtures.createAt(key, Stage.CANARY, List.of());
        for (String expected : List.of("ACTIVE 10", "ACTIVE 50", "ACTIVE 100", "COMPLETED 100")) {
            if (!expected.equals("ACTIVE 10")) {
                FlagFixtures.act(key, "advance");
            }
            reader(token).queryParam("session", session).get("/api/v1/rollouts/" + key + "/flags")
                    .then().statusCode(200).body("enabled", equalTo(true))
                    .body("status", equalTo(expected.split(" ")[0]))
                    .body("percentage", equalTo(Integer.parseInt(expected.split(" ")[1])));
        }
    }

    @Test
    void shouldRequireATokenOfAnyRole() {
        String key = Api.createRollout("token", "s1");
        given().queryParam("session", "s1").get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        reader(Api.tokenWith("reporter")).queryParam("session", "s1").get("/api/v1/rollouts/" + key + "/flags").then().statusCode(200);
        given().header("X-API-Key", token).get("/api/v1/rollouts/" + key + "/flags").then().statusCode(200);
    }

    @Test
    void shouldAnswer404ForUnknownRollout() {
        reader(token).get("/api/v1/rollouts/no-such-rollout/flags")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        reader(token).queryParam("session", "s1").get("/api/v1/rollouts/no-such-rollout/flags")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
