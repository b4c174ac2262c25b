package dev.rolloutcontroller.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Small helpers so each test builds its own data with unique names. */
public final class Api {

    /** The test profile's admin token (rollout.admin-token in %test). */
    public static final String ADMIN = "test-admin-token";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static RequestSpecification asAdmin() {
        return as(ADMIN);
    }

    public static String uniqueKey(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String reporterToken;

    /** One reporter token shared by the tests that post telemetry. */
    public static synchronized String reporter() {
        if (reporterToken == null) {
            reporterToken = tokenWith("reporter");
        }
        return reporterToken;
    }

    /** Creates a token holding the roles and returns its secret. */
    public static String tokenWith(String... roles) {
        return asAdmin()
                .body(Map.of("name", uniqueKey("t-" + String.join("-", roles)), "roles", List.of(roles)))
                .post("/api/v1/tokens")
                .then().statusCode(201)
                .extract().path("token");
    }

    /** Creates a draft rollout with the default plan and the given canary list; returns its key. */
    public static String createRollout(String prefix, String... canary) {
        String key = uniqueKey(prefix);
        asAdmin().body(Map.of("key", key, "canarySessions", List.of(canary)))
                .post("/api/v1/rollouts")
                .then().statusCode(201);
        return key;
    }

    /** A start or advance forced past gates a fresh test rollout has not passed (soak, sign-offs). */
    public static final Map<String, Object> FORCED = Map.of("force", true, "reason", "test");

    /** Acts with a reason; start and advance are forced (see {@link #FORCED}). */
    public static void act(String key, String action) {
        act(key, action, action.equals("advance") || action.equals("start") ? FORCED : Map.of("reason", "test"));
    }

    public static void act(String key, String action, Map<String, ?> body) {
        asAdmin().body(body).post("/api/v1/rollouts/" + key + "/" + action).then().statusCode(200);
    }
}
