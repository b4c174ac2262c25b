package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.Bucketing;
import dev.rolloutcontroller.support.Api;
import io.restassured.specification.RequestSpecification;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Rollouts driven to a given stage, and sessions with a chosen bucket, for the flag tests. */
final class FlagFixtures {

    /** Where a rollout with the checklist plan (canary 10%, gradual 50%, full 100%) can stand. */
    enum Stage {
        DRAFT(false),
        SHADOW(true, "start"),
        CANARY(false, "start"),
        GRADUAL(false, "start", "advance"),
        FULL(false, "start", "advance", "advance"),
        COMPLETED(false, "start", "advance", "advance", "advance"),
        PAUSED_AT_GRADUAL(false, "start", "advance", "pause"),
        ROLLED_BACK_FROM_GRADUAL(false, "start", "advance", "rollback");

        final boolean shadowStep;
        final List<String> actions;

        Stage(boolean shadowStep, String... actions) {
            this.shadowStep = shadowStep;
            this.actions = List.of(actions);
        }
    }

    private FlagFixtures() {
    }

    static RequestSpecification reader(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** Creates a rollout under {@code key} and drives it to the stage. */
    static void createAt(String key, Stage stage, List<String> canary) {
        Map<String, Object> body = new HashMap<>();
        body.put("key", key);
        body.put("canarySessions", canary);
        if (stage.shadowStep) {
            body.put("shadowStep", true);
        }
        Api.asAdmin().body(body).post("/api/v1/rollouts").then().statusCode(201);
        stage.actions.forEach(action -> act(key, action));
    }

    /** Acts as an operator would; start and advance are forced, so the flag tests do not depend on gates. */
    static void act(String key, String action) {
        Map<String, Object> body = action.equals("start") || action.equals("advance")
                ? Map.of("reason", "flag test", "force", true)
                : Map.of("reason", "flag test");
        Api.act(key, action, body);
    }

    /** The first session id {@code prefix-N} whose bucket in this rollout is {@code bucket}. */
    static String sessionWithBucket(String key, String prefix, int bucket) {
        for (int i = 0; ; i++) {
            String session = prefix + "-" + i;
            if (Bucketing.bucket(key, session) == bucket) {
                return session;
            }
        }
    }
}
