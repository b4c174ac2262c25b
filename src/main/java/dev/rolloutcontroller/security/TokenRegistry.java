package dev.rolloutcontroller.security;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.persistence.ApiTokenEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Authenticates tokens from memory, so no request waits on the database to be let in (the flag
 * read path must keep answering while the database is down). The map is replaced whole after every
 * token change here and on a timer for changes made by other replicas.
 */
@ApplicationScoped
public class TokenRegistry {

    static final String BOOTSTRAP_ADMIN_NAME = "bootstrap-admin";

    private static final Logger LOG = Logger.getLogger(TokenRegistry.class);

    private final Clock clock;
    private final Optional<String> bootstrapAdminHash;
    private volatile Map<String, Caller> callersBySecretHash = Map.of();
    private final Map<UUID, Instant> lastUsed = new ConcurrentHashMap<>();

    TokenRegistry(Clock clock, RolloutConfig config) {
        this.clock = clock;
        this.bootstrapAdminHash = config.adminToken().filter(token -> !token.isBlank()).map(TokenSecrets::hash);
    }

    public Optional<Caller> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        return authenticateHash(TokenSecrets.hash(secret));
    }

    /** As {@link #authenticate}, from the secret's hash: what a console session keeps instead of the secret. */
    public Optional<Caller> authenticateHash(String hash) {
        if (hash == null) {
            return Optional.empty();
        }
        if (bootstrapAdminHash.isPresent() && bootstrapAdminHash.get().equals(hash)) {
            return Optional.of(new Caller(null, BOOTSTRAP_ADMIN_NAME, Set.of(Role.ADMIN)));
        }
        Caller caller = callersBySecretHash.get(hash);
        if (caller != null) {
            lastUsed.put(caller.tokenId(), clock.instant());
        }
        return Optional.ofNullable(caller);
    }

    public boolean hasBootstrapAdminToken() {
        return bootstrapAdminHash.isPresent();
    }

    /** Re-reads the active tokens; a failure (database down) keeps the previous set. */
    public void reload() {
        List<ApiTokenEntity> active = QuarkusTransaction.requiringNew()
                .call(() -> ApiTokenEntity.<ApiTokenEntity>list("revokedAt is null"));
        Map<String, Caller> next = new HashMap<>();
        for (ApiTokenEntity token : active) {
            next.put(token.secretHash.trim(), new Caller(token.id, token.name, parseRoles(token.roles)));
        }
        callersBySecretHash = Map.copyOf(next);
    }

    @Scheduled(every = "${rollout.security.refresh-interval:PT10S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        try {
            flushLastUsed();
            reload();
        } catch (RuntimeException e) {
            LOG.debugf("token refresh skipped: %s", e.getMessage());
        }
    }

    /** last_used_at is written in batches, off the request path. */
    private void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        Map<UUID, Instant> batch = new HashMap<>(lastUsed);
        QuarkusTransaction.requiringNew().run(() -> batch.forEach((id, at) ->
                ApiTokenEntity.update("lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?1)", at, id)));
        batch.forEach(lastUsed::remove);
    }

    static Set<Role> parseRoles(String roles) {
        return Arrays.stream(roles.split(","))
                .map(String::trim)
                .map(Role::fromWireName)
                .flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
    }
}
