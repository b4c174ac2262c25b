package dev.rolloutcontroller.security;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Console sessions live in the database, so two replicas (two instances here) share them. */
@QuarkusTest
class ConsoleSessionsTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofHours(8);

    @Inject
    TokenRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    private ConsoleSessions replica() {
        return new ConsoleSessions(registry, MutableClock.INSTANCE, IDLE_TIMEOUT, dataSource);
    }

    @Test
    void shouldResolveOnOneReplicaASessionOpenedOnAnother() {
        ConsoleSessions a = replica();
        ConsoleSessions b = replica();
        String secret = Api.tokenWith("operator");

        ConsoleSessions.Resolved opened = a.open(secret).orElseThrow();
        ConsoleSessions.Resolved resolved = b.resolve(opened.session().id()).orElseThrow();

        assertEquals(opened.session().csrfToken(), resolved.session().csrfToken());
        assertEquals(opened.caller().name(), resolved.caller().name());
        assertTrue(resolved.caller().may(Role.OPERATOR));
    }

    @Test
    void shouldEndTheSessionOnEveryReplicaWhenSignedOutOnOne() {
        ConsoleSessions a = replica();
        String id = a.open(Api.tokenWith("reader")).orElseThrow().session().id();

        replica().close(id);

        assertTrue(a.resolve(id).isEmpty(), "signed out elsewhere but still signed in here");
    }

    @Test
    void shouldEndTheSessionWhenItsTokenIsRevoked() {
        ConsoleSessions.Resolved opened = replica().open(Api.tokenWith("reader")).orElseThrow();

        asAdmin().delete("/api/v1/tokens/" + opened.caller().tokenId()).then().statusCode(204);

        assertTrue(replica().resolve(opened.session().id()).isEmpty(), "a revoked token's session still resolves");
        assertEquals(0, rowsFor(opened.session().id()), "the ended session is deleted");
    }

    @Test
    void shouldExpireAnIdleSessionAndKeepOnlyTheHashOfItsId() throws Exception {
        ConsoleSessions a = replica();
        String id = a.open(Api.tokenWith("reader")).orElseThrow().session().id();
        assertEquals(1, rowsFor(id));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select count(*) from console_sessions where id_hash = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                assertEquals(0, row.getInt(1), "the cookie's id is stored in the clear");
            }
        }

        MutableClock.INSTANCE.advance(IDLE_TIMEOUT.plusMinutes(1));

        assertTrue(a.resolve(id).isEmpty(), "an idle session still resolves");
        assertEquals(0, rowsFor(id));
    }

    @Test
    void shouldRefuseUnknownAndEmptyIdsAndTokens() {
        ConsoleSessions a = replica();
        assertTrue(a.resolve(ConsoleSessions.randomToken()).isEmpty());
        assertTrue(a.resolve("").isEmpty());
        assertTrue(a.resolve(null).isEmpty());
        assertTrue(a.open("not-a-token").isEmpty());
        assertTrue(a.open(" ").isEmpty());
    }

    private int rowsFor(String sessionId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select count(*) from console_sessions where id_hash = ?")) {
            select.setString(1, TokenSecrets.hash(sessionId));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
