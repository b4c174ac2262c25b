package dev.rolloutcontroller.security;

import dev.rolloutcontroller.persistence.ApiTokenEntity;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.rolloutcontroller.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A token created or revoked by another replica is honoured here within a second, long before the
 * timed refresh (set to an hour here, so only the notification can bring it).
 */
@QuarkusTest
@TestProfile(TokenReplicaChangeTest.NoTimedRefresh.class)
class TokenReplicaChangeTest {

    public static class NoTimedRefresh implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollout.security.refresh-interval", "PT1H");
        }
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void shouldHonourATokenCreatedAndRevokedByAnotherReplicaWithinOneSecond() throws InterruptedException {
        String secret = TokenSecrets.generate();
        UUID id = UUID.randomUUID();
        as(secret).get("/api/v1/rollouts").then().statusCode(401);

        // What another replica's TokenService does, minus this replica's own reload: row, then NOTIFY, one commit.
        QuarkusTransaction.requiringNew().run(() -> {
            ApiTokenEntity token = new ApiTokenEntity();
            token.id = id;
            token.name = Api.uniqueKey("replica");
            token.secretHash = TokenSecrets.hash(secret);
            token.roles = "reader";
            token.createdAt = Instant.now();
            token.createdBy = "other-replica";
            token.persist();
            TokenRegistry.announceChange(id);
        });
        assertEquals(200, statusWithinOneSecond(secret, 200), "the token created elsewhere was not honoured");

        QuarkusTransaction.requiringNew().run(() -> {
            ApiTokenEntity.update("revokedAt = ?1 where id = ?2", Instant.now(), id);
            TokenRegistry.announceChange(id);
        });
        assertEquals(401, statusWithinOneSecond(secret, 401), "the token revoked elsewhere was still honoured");
    }

    @Test
    void shouldNotifyOtherReplicasOfEveryCreatedAndRevokedToken() throws Exception {
        try (Connection connection = DriverManager.getConnection(url, username, password.orElse(""))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN rollout_tokens");
            }
            PGConnection listener = connection.unwrap(PGConnection.class);
            String id = Api.asAdmin().body(Map.of("name", Api.uniqueKey("notified"), "roles", List.of("reader")))
                    .post("/api/v1/tokens").then().statusCode(201).extract().path("id");
            PGNotification[] created = listener.getNotifications(5000);
            assertNotNull(created, "no notification after a token was created");
            assertEquals(id, created[0].getParameter());

            Api.asAdmin().delete("/api/v1/tokens/" + id).then().statusCode(204);
            PGNotification[] revoked = listener.getNotifications(5000);
            assertNotNull(revoked, "no notification after a token was revoked");
            assertEquals(id, revoked[0].getParameter());
        }
    }

    /** Polls until the token gets the expected status or a second has passed; returns the last status. */
    private static int statusWithinOneSecond(String secret, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        int status;
        do {
            status = as(secret).get("/api/v1/rollouts").then().extract().statusCode();
            if (status != expected) {
                Thread.sleep(20);
            }
        } while (status != expected && System.nanoTime() < deadline);
        return status;
    }
}
