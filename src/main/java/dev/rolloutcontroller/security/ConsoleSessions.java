package dev.rolloutcontroller.security;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, server-side: the cookie holds only a random id; the session holds the token's
 * hash (never the secret) and the CSRF token. Every request re-authenticates the hash against
 * {@link TokenRegistry}, so a revoked token ends its sessions at their next request. Kept in this
 * replica's memory (decision 0011): a restart signs everyone out, and several replicas need sticky
 * sessions.
 */
@ApplicationScoped
public class ConsoleSessions {

    /** One signed-in browser. */
    public record Session(String id, String tokenHash, String csrfToken, Instant signedInAt, Instant lastSeen) {
    }

    /** A session that still authenticates, with the token holder behind it. */
    public record Resolved(Session session, Caller caller) {
    }

    static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final TokenRegistry registry;
    private final Clock clock;
    private final Duration idleTimeout;

    ConsoleSessions(TokenRegistry registry, Clock clock,
                    @ConfigProperty(name = "rollout.console.session-idle-timeout", defaultValue = "PT8H") Duration idleTimeout) {
        this.registry = registry;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** Signs in with a pasted token; empty when the token is unknown or revoked. */
    public Optional<Resolved> open(String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String hash = TokenSecrets.hash(secret.trim());
        return registry.authenticateHash(hash).map(caller -> {
            if (sessions.size() >= MAX_SESSIONS) {
                evictOldest();
            }
            Instant now = clock.instant();
            Session session = new Session(randomToken(), hash, randomToken(), now, now);
            sessions.put(session.id(), session);
            return new Resolved(session, caller);
        });
    }

    /** The session behind a cookie, if it exists, is not idle too long and its token still authenticates. */
    public Optional<Resolved> resolve(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Caller> caller = registry.authenticateHash(session.tokenHash());
        if (caller.isEmpty() || session.lastSeen().plus(idleTimeout).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(session.id(), session.tokenHash(), session.csrfToken(), session.signedInAt(), now);
        sessions.put(id, touched);
        return Optional.of(new Resolved(touched, caller.get()));
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
    public static boolean sameToken(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected.getBytes(), presented.getBytes());
    }

    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Scheduled(every = "PT5M", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void expireIdle() {
        Instant cutoff = clock.instant().minus(idleTimeout);
        sessions.values().removeIf(session -> session.lastSeen().isBefore(cutoff));
    }

    private void evictOldest() {
        sessions.values().stream().min(Comparator.comparing(Session::lastSeen))
                .ifPresent(oldest -> sessions.remove(oldest.id()));
    }
}
