package dev.rolloutcontroller.security;

import dev.rolloutcontroller.persistence.ApiTokenEntity;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rolloutcontroller.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A token's last use reaches last_used_at on the next refresh, also when it was used only through
 * the flag read served on the router. Times are the service's clock, which other tests move.
 */
@QuarkusTest
class TokenLastUsedTest {

    @Inject
    TokenRegistry registry;

    @Test
    void shouldRecordTheLastFlagRead() {
        Map<String, String> created = Api.asAdmin().body(Map.of("name", Api.uniqueKey("last-used"), "roles", List.of("reader")))
                .post("/api/v1/tokens").then().statusCode(201).extract().as(Map.class);
        String path = "/api/v1/rollouts/" + Api.createRollout("last-used", "s1") + "/flags";
        Instant before = MutableClock.INSTANCE.instant().truncatedTo(ChronoUnit.SECONDS);

        for (int i = 0; i < 20; i++) {
            as(created.get("token")).queryParam("session", "s" + i).get(path).then().statusCode(200);
        }
        Instant after = MutableClock.INSTANCE.instant();
        registry.refresh();

        Instant lastUsed = QuarkusTransaction.requiringNew().call(() ->
                ApiTokenEntity.<ApiTokenEntity>findById(UUID.fromString(created.get("id"))).lastUsedAt);
        assertNotNull(lastUsed, "no last use recorded");
        assertFalse(lastUsed.isBefore(before) || lastUsed.isAfter(after), lastUsed + " not within " + before + " to " + after);
    }
}
