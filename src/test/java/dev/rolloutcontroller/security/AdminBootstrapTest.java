package dev.rolloutcontroller.security;

import dev.rolloutcontroller.persistence.ApiTokenEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.rolloutcontroller.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class AdminBootstrapTest {

    @Inject
    TokenService tokens;

    @Inject
    TokenRegistry registry;

    @Test
    void shouldGenerateOneAdminTokenOnlyWhenNoneIsActive() {
        // Other tests' admin tokens would hide the bootstrap path: revoke them (they are single-use).
        List<ApiTokenEntity> admins = QuarkusTransaction.requiringNew().call(() ->
                ApiTokenEntity.<ApiTokenEntity>list("revokedAt is null").stream()
                        .filter(t -> TokenRegistry.parseRoles(t.roles).contains(Role.ADMIN)).toList());
        admins.forEach(token -> tokens.revoke(token.id, "test"));

        Optional<String> secret = tokens.generateFirstAdminTokenIfNone();
        assertTrue(secret.isPresent(), "a database without an admin token gets one");
        registry.reload();
        as(secret.get()).get("/api/v1/tokens").then().statusCode(200);

        assertEquals(Optional.empty(), tokens.generateFirstAdminTokenIfNone(), "never a second one");
        long stored = QuarkusTransaction.requiringNew().call(() ->
                ApiTokenEntity.count("secretHash = ?1", TokenSecrets.hash(secret.get())));
        assertEquals(1, stored);
    }
}
