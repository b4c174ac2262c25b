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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Strong ETags from version and context; If-None-Match gives 304; caches must revalidate. */
@QuarkusTest
class FlagCachingTest {

    private static final String STRONG_TAG = "\"[a-z][0-9]+-[0-9a-f]{16}\"";

    private String token;

    @BeforeEach
    void createReaderToken() {
        token = Api.tokenWith("reader");
    }

    @Test
    void shouldAnswer304WhileTheRolloutIsUnchangedAnd200AfterAChange() {
        String key = Api.createRollout("etag", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        Response first = reader(token).queryParam("session", "s1").get(path);
        first.then().statusCode(200).header("Cache-Control", "no-cache").header("ETag", matchesPattern(STRONG_TAG));
        String etag = first.header("ETag");

        reader(token).queryParam("session", "s1").header("If-None-Match", etag).get(path)
                .then().statusCode(304).header("ETag", etag).header("Cache-Control", "no-cache").body(emptyString());
        reader(token).queryParam("session", "s1").header("If-None-Match", "W/" + etag).get(path).then().statusCode(304);
        reader(token).queryParam("session", "s1").header("If-None-Match", "\"v1-0000000000000000\", " + etag).get(path).then().statusCode(304);
        reader(token).queryParam("session", "s1").header("If-None-Match", "*").get(path).then().statusCode(304);
        reader(token).queryParam("session", "s1").header("If-None-Match", "\"v1-0000000000000000\"").get(path).then().statusCode(200);

        FlagFixtures.act(key, "start");
        Response changed = reader(token).queryParam("session", "s1").header("If-None-Match", etag).get(path);
        changed.then().statusCode(200).body("version", equalTo(2)).body("enabled", equalTo(true));
        assertNotEquals(etag, changed.header("ETag"));
    }

    @Test
    void shouldGiveEachSessionAndRepresentationItsOwnTag() {
        String key = Api.createRollout("contexts", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        String s1Json = reader(token).queryParam("session", "s1").get(path).header("ETag");
        String s2Json = reader(token).queryParam("session", "s2").get(path).header("ETag");
        String s1Env = reader(token).queryParam("session", "s1").queryParam("format", "env").get(path).header("ETag");
        String fleetJson = reader(token).get(path).header("ETag");
        String fleetEnv = reader(token).accept("text/plain").get(path).header("ETag");
        assertEquals(5, java.util.Set.of(s1Json, s2Json, s1Env, fleetJson, fleetEnv).size(), "tags must differ");
        assertEquals(s1Json, reader(token).queryParam("session", "s1").get(path).header("ETag"), "tags must be stable");

        reader(token).queryParam("session", "s2").header("If-None-Match", s1Json).get(path).then().statusCode(200);
        reader(token).queryParam("session", "s1").queryParam("format", "env").header("If-None-Match", s1Json).get(path).then().statusCode(200);
        reader(token).accept("text/plain").header("If-None-Match", fleetEnv).get(path).then().statusCode(304);
        reader(token).header("If-None-Match", fleetJson).get(path).then().statusCode(304);
    }

    @Test
    void shouldNotMatchTheTagOfAnotherRolloutAtTheSameVersion() {
        String a = Api.createRollout("same-version-a", "s1");
        String b = Api.createRollout("same-version-b", "s1");
        String tagOfA = reader(token).queryParam("session", "s1").get("/api/v1/rollouts/" + a + "/flags").header("ETag");
        reader(token).queryParam("session", "s1").header("If-None-Match", tagOfA).get("/api/v1/rollouts/" + b + "/flags")
                .then().statusCode(200);
    }

    @Test
    void shouldChangeTheAllRolloutsTagWhenAnyRolloutChanges() {
        String key = Api.createRollout("any-change", "s1");
        String path = "/api/v1/sessions/s1/flags";
        String etag = reader(token).get(path).then().statusCode(200).header("Cache-Control", "no-cache")
                .header("ETag", matchesPattern(STRONG_TAG)).extract().header("ETag");
        reader(token).header("If-None-Match", etag).get(path).then().statusCode(304).body(emptyString());
        FlagFixtures.act(key, "start");
        reader(token).header("If-None-Match", etag).get(path).then().statusCode(200);
    }

    @Test
    void shouldRejectBadSessionBeforeAnswering304() {
        String key = Api.createRollout("bad-before-304");
        reader(token).queryParam("session", "a b").header("If-None-Match", "*").get("/api/v1/rollouts/" + key + "/flags")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void shouldCountReadsByEndpointAndOutcome() {
        String key = Api.createRollout("metrics", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        double before = count("session", "not-modified");
        String etag = reader(token).queryParam("session", "s1").get(path).header("ETag");
        reader(token).queryParam("session", "s1").header("If-None-Match", etag).get(path).then().statusCode(304);
        reader(token).queryParam("session", "s1").header("If-None-Match", etag).get(path).then().statusCode(304);
        assertEquals(before + 2, count("session", "not-modified"));
        given().get("/q/metrics").then().body(not(containsString("session=\"")));
    }

    @Test
    void shouldServeAfterCanaryListChangeWithNewTag() {
        String key = Api.createRollout("canary-change", "s1");
        FlagFixtures.act(key, "start");
        String path = "/api/v1/rollouts/" + key + "/flags";
        String session = FlagFixtures.sessionWithBucket(key, "late", 90);
        String etag = reader(token).queryParam("session", session).get(path).then().body("enabled", equalTo(false)).extract().header("ETag");
        Api.asAdmin().body(Map.of("sessions", List.of("s1", session))).put("/api/v1/rollouts/" + key + "/canary-sessions").then().statusCode(200);
        reader(token).queryParam("session", session).header("If-None-Match", etag).get(path)
                .then().statusCode(200).body("enabled", equalTo(true)).body("reason", equalTo("CANARY_LIST"));
    }

    private static double count(String endpoint, String outcome) {
        String line = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("rollout_flag_reads_total{") && l.contains("endpoint=\"" + endpoint + "\"")
                        && l.contains("outcome=\"" + outcome + "\""))
                .findFirst().orElseThrow();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
