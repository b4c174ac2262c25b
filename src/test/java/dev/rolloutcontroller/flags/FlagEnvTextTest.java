package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.rolloutcontroller.flags.FlagFixtures.reader;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The env text is evaluated by a real bash and sh: hostile ids are data, never code. */
@QuarkusTest
class FlagEnvTextTest {

    private static final String PRINT_VARIABLES = "eval \"$(cat)\"; printf '%s\\n' \"$TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR\" "
            + "\"$TMUX_ORCHESTRATOR_CANARY_SESSIONS\" \"$TMUX_ORCHESTRATOR_ROLLOUT_PERCENTAGE\" \"$TMUX_ORCHESTRATOR_SHADOW_MODE\"";

    @TempDir
    Path scratch;

    private String token;

    @BeforeEach
    void createReaderToken() {
        token = Api.tokenWith("reader");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bash", "sh"})
    void shouldAssignHostileCanaryIdsVerbatimWithoutRunningThem(String shell) throws Exception {
        Path marker = scratch.resolve("pwned");
        List<String> hostile = List.of(
                "a'b", "'", "''", "$(touch${IFS}" + marker + ")", "`touch${IFS}" + marker + "`", "x;touch${IFS}" + marker,
                "\"quoted\"", "back\\slash", "${HOME}", "$HOME", "!bang", "*", "semi;colon", "pipe|cat", "amp&", "<in>",
                "ünïcødé", "tab\\t", "%s%n");
        String key = Api.uniqueKey("hostile");
        Api.asAdmin().body(Map.of("key", key, "canarySessions", hostile)).post("/api/v1/rollouts").then().statusCode(201);
        FlagFixtures.act(key, "start");
        String canaryValue = String.join(",", hostile);

        String fleet = reader(token).accept("text/plain").get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(200).extract().asString();
        assertEquals(List.of("canary", canaryValue, "10", "false"), evaluate(shell, fleet));
        assertTrue(fleet.endsWith("'\n"), "the fleet answer ends with a newline: " + fleet);

        for (String session : List.of("$(touch${IFS}" + marker + ")", "a'b", "`touch${IFS}" + marker + "`")) {
            String text = reader(token).queryParam("session", session).queryParam("format", "env")
                    .get("/api/v1/rollouts/" + key + "/flags").then().statusCode(200).extract().asString();
            assertEquals(List.of("true", canaryValue, "10", "false"), evaluate(shell, text), "session " + session);
        }
        assertFalse(Files.exists(marker), "a value was executed by the shell");
    }

    @ParameterizedTest(name = "session id \"{0}\"")
    @ValueSource(strings = {"a b", "a\tb", "a\nb", "a,b", "", " "})
    void shouldRejectSessionIdsWithSpacesCommasOrControlsAtInput(String session) {
        String key = Api.createRollout("reject");
        // Encoded by hand: Rest Assured would drop the '=' of an empty value.
        reader(token).urlEncodingEnabled(false)
                .get("/api/v1/rollouts/" + key + "/flags?format=env&session=" + URLEncoder.encode(session, StandardCharsets.UTF_8))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("session"));
        Api.asAdmin().body(Map.of("sessions", List.of("fine", session))).put("/api/v1/rollouts/" + key + "/canary-sessions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("sessions[1]"));
    }

    @Test
    void shouldChooseTextByAcceptHeaderOrFormatParameter() {
        String key = Api.createRollout("negotiate", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        reader(token).get(path).then().statusCode(200).contentType("application/json").header("Vary", containsString("Accept"));
        reader(token).accept("*/*").get(path).then().contentType("application/json");
        reader(token).accept("text/plain").get(path).then().contentType("text/plain")
                .body(containsString("TMUX_ORCHESTRATOR_CANARY_SESSIONS='s1'"));
        reader(token).accept("application/json;q=0.5, text/plain").get(path).then().contentType("text/plain");
        reader(token).accept("text/plain;q=0.5, application/json").get(path).then().contentType("application/json");
        reader(token).accept("application/json").queryParam("format", "env").get(path).then().contentType("text/plain");
        reader(token).accept("text/plain").queryParam("format", "json").get(path).then().contentType("application/json");
        reader(token).queryParam("format", "yaml").get(path)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("format"));
        reader(token).accept("text/html").get(path).then().statusCode(406).contentType("application/problem+json");
    }

    /** Runs the text through {@code eval} in the shell and returns the four variables it assigned. */
    private List<String> evaluate(String shell, String envText) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(shell, "-c", PRINT_VARIABLES).directory(scratch.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().write(envText.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), shell + " did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), shell + " failed: " + output);
        return output.lines().toList();
    }
}
