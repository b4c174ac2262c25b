package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.Transition;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.rolloutcontroller.flags.FlagFixtures.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Changes committed by another replica reach this one through NOTIFY, long before the timed
 * refresh (set to an hour here, so only the notification can bring them).
 */
@QuarkusTest
@TestProfile(FlagReplicaChangeTest.NoTimedRefresh.class)
class FlagReplicaChangeTest {

    public static class NoTimedRefresh implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollout.flags.refresh-interval", "PT1H");
        }
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void shouldServeAChangeCommittedByAnotherReplicaWithinSeconds() throws InterruptedException {
        String token = Api.tokenWith("reader");
        String key = Api.createRollout("replica", "s1");
        String path = "/api/v1/rollouts/" + key + "/flags";
        reader(token).get(path).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("DRAFT"));

        // What another replica's RolloutService does, minus this replica's CDI event: row, then NOTIFY, one commit.
        QuarkusTransaction.requiringNew().run(() -> {
            RolloutEntity row = RolloutEntity.findById(key);
            Rollout started = ((Transition.Applied) RolloutStateMachine.apply(RolloutMapping.toDomain(row), Action.START, Instant.now())).rollout();
            RolloutMapping.copyOnto(started, row);
            RolloutEntity.getEntityManager().createNativeQuery("select pg_notify('rollout_flags', ?1)").setParameter(1, key).getSingleResult();
        });

        String status = null;
        long deadline = System.currentTimeMillis() + 3000;
        while (!"ACTIVE".equals(status) && System.currentTimeMillis() < deadline) {
            status = reader(token).get(path).then().statusCode(200).extract().path("status");
            if (!"ACTIVE".equals(status)) {
                Thread.sleep(20);
            }
        }
        assertEquals("ACTIVE", status, "the other replica's change did not arrive");
    }

    @Test
    void shouldNotifyOtherReplicasOfEveryCommittedChange() throws Exception {
        String key = Api.createRollout("notify");
        try (Connection connection = DriverManager.getConnection(url, username, password.orElse(""))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN rollout_flags");
            }
            FlagFixtures.act(key, "start");
            PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(5000);
            assertNotNull(notifications, "no notification after a committed change");
            assertEquals(key, notifications[0].getParameter());

            Api.asAdmin().body(Map.of("reason", "x")).post("/api/v1/rollouts/" + key + "/start").then().statusCode(409);
            PGNotification[] afterRefusal = connection.unwrap(PGConnection.class).getNotifications(500);
            assertEquals(0, afterRefusal == null ? 0 : afterRefusal.length, "a refused change must not notify");
        }
    }
}
