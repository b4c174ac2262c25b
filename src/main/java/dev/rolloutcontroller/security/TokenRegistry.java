package dev.rolloutcontroller.security;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.persistence.ApiTokenEntity;
import dev.rolloutcontroller.persistence.ChangeChannel;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
 * token change: here at once, from other replicas on their {@code NOTIFY rollout_tokens} (see
 * {@link ChangeChannel}), and on a timer as the safety net.
 */
@ApplicationScoped
public class TokenRegistry {

    static final String BOOTSTRAP_ADMIN_NAME = "bootstrap-admin";
    static final String CHANNEL = "rollout_tokens";

    private static final Logger LOG = Logger.getLogger(TokenRegistry.class);
    private static final Caller BOOTSTRAP_ADMIN = new Caller(null, BOOTSTRAP_ADMIN_NAME, Set.of(Role.ADMIN));

    private final Clock clock;
    private final Optional<String> bootstrapAdminHash;
    /** Bounds the secrets remembered between two reloads; past it, further secrets are hashed on every request. */
    static final int MAX_REMEMBERED_SECRETS = 1024;

    private volatile Tokens tokens = new Tokens(Map.of());
    private final Map<UUID, Instant> lastUsed = new ConcurrentHashMap<>();
    private final ChangeChannel changes;

    TokenRegistry(Clock clock, RolloutConfig config,
                  @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                  @ConfigProperty(name = "quarkus.datasource.username") String username,
                  @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.clock = clock;
        this.bootstrapAdminHash = config.adminToken().filter(token -> !token.isBlank()).map(TokenSecrets::hash);
        this.changes = new ChangeChannel(CHANNEL, url, username, password.orElse(""), ids -> reloadQuietly(), this::reloadQuietly);
    }

    void onStart(@Observes StartupEvent event) {
        changes.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        changes.stop();
    }

    /** In the transaction that creates or revokes a token: the other replicas reload on its commit. */
    static void announceChange(UUID tokenId) {
        ChangeChannel.announce(ApiTokenEntity.getEntityManager(), CHANNEL, tokenId.toString());
    }

    /**
     * The active tokens, and the secrets that authenticated against them: a daemon presents the same
     * token on every poll, so it is hashed once per reload rather than once per request. Replaced
     * whole on every reload, so a remembered secret never outlives the token set it was checked
     * against (a revoked token stops working on the reload, as before) and no plaintext secret is
     * kept past the next successful reload, one refresh interval while the database answers
     * (decision 0017).
     */
    private record Tokens(Map<String, Caller> callersBySecretHash, Map<String, Caller> callersBySecret) {
        Tokens(Map<String, Caller> callersBySecretHash) {
            this(callersBySecretHash, new ConcurrentHashMap<>());
        }
    }

    public Optional<Caller> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        Tokens current = tokens;
        Caller remembered = current.callersBySecret().get(secret);
        if (remembered != null) {
            touch(remembered);
            return Optional.of(remembered);
        }
        Optional<Caller> caller = authenticateHash(current, TokenSecrets.hash(secret));
        // Only secrets that authenticated: refused guesses must not fill the map.
        if (caller.isPresent() && current.callersBySecret().size() < MAX_REMEMBERED_SECRETS) {
            current.callersBySecret().put(secret, caller.get());
        }
        return caller;
    }

    /** As {@link #authenticate}, from the secret's hash: what a console session keeps instead of the secret. */
    public Optional<Caller> authenticateHash(String hash) {
        return authenticateHash(tokens, hash);
    }

    private Optional<Caller> authenticateHash(Tokens current, String hash) {
        if (hash == null) {
            return Optional.empty();
        }
        if (bootstrapAdminHash.isPresent() && bootstrapAdminHash.get().equals(hash)) {
            return Optional.of(BOOTSTRAP_ADMIN);
        }
        Caller caller = current.callersBySecretHash().get(hash);
        if (caller != null) {
            touch(caller);
        }
        return Optional.ofNullable(caller);
    }

    private void touch(Caller caller) {
        if (caller.tokenId() != null) {
            lastUsed.put(caller.tokenId(), clock.instant());
        }
    }

    public boolean hasBootstrapAdminToken() {
        return bootstrapAdminHash.isPresent();
    }

    /**
     * Re-reads the active tokens; a failure (database down) keeps the previous set. Serialised: a
     * NOTIFY, the timer and a caller may reload at once, and an older read must never be installed
     * after a newer one (a token just created would be refused, one just revoked accepted).
     */
    public synchronized void reload() {
        List<ApiTokenEntity> active = QuarkusTransaction.requiringNew()
                .call(() -> ApiTokenEntity.<ApiTokenEntity>list("revokedAt is null"));
        Map<String, Caller> next = new HashMap<>();
        for (ApiTokenEntity token : active) {
            next.put(token.secretHash.trim(), new Caller(token.id, token.name, parseRoles(token.roles)));
        }
        tokens = new Tokens(Map.copyOf(next));
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

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.debugf("token reload skipped: %s", e.getMessage());
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
