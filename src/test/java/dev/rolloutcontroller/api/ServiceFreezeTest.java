package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;

/** A service-wide freeze from configuration (rollout.freezes) holds every rollout, forced or not, until an admin overrides it. */
@QuarkusTest
@TestProfile(ServiceFreezeTest.Frozen.class)
class ServiceFreezeTest {

    public static class Frozen implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "rollout.freezes[0].from", "2026-01-01T00:00:00Z",
                    "rollout.freezes[0].to", "2099-01-01T00:00:00Z",
                    "rollout.freezes[0].reason", "service-wide test freeze");
        }
    }

    @Test
    void shouldBlockAForcedStartUntilAnAdminOverridesTheConfiguredFreeze() {
        String key = Api.createRollout("service-freeze", "s1");
        asAdmin().body(Api.FORCED).post("/api/v1/rollouts/" + key + "/start").then().statusCode(409)
                .contentType("application/problem+json")
                .body("frozenUntil", equalTo("2099-01-01T00:00:00Z"))
                .body("freezeReason", equalTo("service-wide test freeze"));

        asAdmin().body(Map.of("force", true, "overrideFreeze", true, "reason", "incident fix"))
                .post("/api/v1/rollouts/" + key + "/start").then().statusCode(200).body("status", equalTo("ACTIVE"));
        asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=1").then()
                .body("events[0].type", equalTo("rollout.freeze-overridden"))
                .body("events[0].after.overrideFreeze", equalTo(true))
                .body("events[0].after.action", equalTo("start"))
                .body("events[0].after.freeze.reason", equalTo("service-wide test freeze"));

        asAdmin().body(Map.of("reason", "rolling back is never frozen")).post("/api/v1/rollouts/" + key + "/rollback")
                .then().statusCode(200).body("status", equalTo("ROLLED_BACK"));
    }
}
