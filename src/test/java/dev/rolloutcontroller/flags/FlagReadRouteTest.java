package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.flags.FlagFixtures.reader;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-session read answered on the router (FlagReadRoute) answers exactly as the resource does,
 * and everything it does not answer itself reaches the resource: refusals, unknown rollouts,
 * invalid sessions, HEAD. An Accept header with a q-value is one the route leaves to the resource,
 * which gives each test the resource's own answer to compare with.
 */
@QuarkusTest
class FlagReadRouteTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String NEGOTIATED_JSON = "application/json, text/plain;q=0.5";
    private static final String NEGOTIATED_TEXT = "text/plain, application/json;q=0.5";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    private String token;

    @BeforeEach
    void createReaderToken() {
        token = Api.tokenWith("reader");
    }

    @Test
    void shouldAnswerJsonAndEnvTextAsTheResourceDoes() {
        String key = Api.createRollout("route-same", "s1");
        FlagFixtures.act(key, "start");
        String path = "/api/v1/rollouts/" + key + "/flags";
        for (String session : List.of("s1", "s2", "quote\"d")) {
            assertSameAnswer(reader(token).queryParam("session", session).get(path),
                    reader(token).accept(NEGOTIATED_JSON).queryParam("session", session).get(path));
            assertSameAnswer(reader(token).accept("text/plain").queryParam("session", session).get(path),
                    reader(token).accept(NEGOTIATED_TEXT).queryParam("session", session).get(path));
            assertSameAnswer(reader(token).queryParam("session", session).queryParam("format", "env").get(path),
                    reader(token).accept(NEGOTIATED_JSON).queryParam("session", session).queryParam("format", "env").get(path));
        }
        reader(token).queryParam("session", "s1").get(path).then().statusCode(200)
                .body("rollout", equalTo(key)).body("session", equalTo("s1")).body("enabled", equalTo(true))
                .body("reason", equalTo("CANARY_LIST")).body("env.TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR", equalTo("true"));
        given().header("X-API-Key", token).queryParam("session", "s1").get(path).then().statusCode(200).body("enabled", equalTo(true));
    }

    @Test
    void shouldAnswer304WithTheSameValidators() {
        String key = Api.createRollout("route-304", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        String etag = reader(token).queryParam("session", "s1").get(path).header("ETag");

        Response notModified = reader(token).queryParam("session", "s1").header("If-None-Match", etag).get(path);
        notModified.then().statusCode(304).header("ETag", etag).header("Cache-Control", "no-cache").header("Vary", "Accept")
                .header("X-Request-Id", matchesPattern(UUID_PATTERN)).body(emptyString());
        Response fromResource = reader(token).accept(NEGOTIATED_JSON).queryParam("session", "s1").header("If-None-Match", etag).get(path);
        fromResource.then().statusCode(304);
        for (String header : List.of("ETag", "Cache-Control", "Vary")) {
            assertEquals(fromResource.header(header), notModified.header(header), header);
        }
        reader(token).queryParam("session", "s1").header("X-Request-Id", "daemon-7.poll:3").get(path)
                .then().statusCode(200).header("X-Request-Id", "daemon-7.poll:3");
    }

    @Test
    void shouldLeaveRefusalsToTheResource() {
        String key = Api.createRollout("route-refusals", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        given().queryParam("session", "s1").get(path).then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer")).body("status", equalTo(401));
        given().header("Authorization", "Bearer rc_wrong").queryParam("session", "s1").get(path)
                .then().statusCode(401).contentType(PROBLEM);
        reader(token).queryParam("session", "s1").get("/api/v1/rollouts/" + Api.uniqueKey("missing") + "/flags")
                .then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404));
        reader(token).queryParam("session", "two words").get(path)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("session"));
        reader(token).queryParam("session", "a,b").get(path)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("session"));
        reader(token).queryParam("session", "").get(path)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("session"));
        reader(token).queryParam("session", "s1").queryParam("format", "xml").get(path)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("format"));
        // Paths the route's prefix and suffix overlap in, or that hold no key between them.
        for (String noKey : List.of("/api/v1/rollouts/flags", "/api/v1/rollouts//flags")) {
            int status = reader(token).queryParam("session", "s1").get(noKey).then().contentType(PROBLEM).extract().statusCode();
            assertTrue(status == 404 || status == 405, noKey + " answered " + status);
        }
    }

    @Test
    void shouldStillAnswerHeadThroughTheResource() {
        String key = Api.createRollout("route-head", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        String etag = reader(token).queryParam("session", "s1").get(path).header("ETag");
        reader(token).queryParam("session", "s1").head(path).then().statusCode(200)
                .header("ETag", etag).header("Cache-Control", "no-cache").header("Vary", "Accept").body(emptyString());
    }

    @Test
    void shouldRefuseARevokedTokenAtOnce() {
        Map<String, Object> created = Api.asAdmin().body(Map.of("name", Api.uniqueKey("route-revoke"), "roles", List.of("reader")))
                .post("/api/v1/tokens").then().statusCode(201).extract().as(Map.class);
        String secret = (String) created.get("token");
        String key = Api.createRollout("route-revoke", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        reader(secret).queryParam("session", "s1").get(path).then().statusCode(200);
        Api.asAdmin().delete("/api/v1/tokens/" + created.get("id")).then().statusCode(204);
        reader(secret).queryParam("session", "s1").get(path).then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void shouldCountReadsWithoutATimerPerPath() {
        String key = Api.createRollout("route-metrics", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        double before = sessionReads("ok");
        reader(token).queryParam("session", "s1").get(path).then().statusCode(200);
        reader(token).queryParam("session", "s2").get(path).then().statusCode(200);
        assertEquals(before + 2, sessionReads("ok"));

        Api.asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains("uri=\"/api/v1/rollouts/{key}/flags\""), "no per-URI timer on the flag read");
        given().get("/q/metrics").then().body(not(containsString("/flags\",")));
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count{")
                && line.contains("uri=\"/api/v1/rollouts/{key}\"")), "the other routes keep their timer");
    }

    private static double sessionReads(String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("rollout_flag_reads_total{") && line.contains("endpoint=\"session\"")
                        && line.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow();
    }

    private static void assertSameAnswer(Response fromRoute, Response fromResource) {
        assertEquals(fromResource.statusCode(), fromRoute.statusCode(), "status");
        for (String header : List.of("Content-Type", "ETag", "Cache-Control", "Vary")) {
            assertEquals(fromResource.header(header), fromRoute.header(header), header);
        }
        assertEquals(fromResource.asString(), fromRoute.asString(), "body");
        fromRoute.then().header("X-Request-Id", matchesPattern(UUID_PATTERN));
    }
}
