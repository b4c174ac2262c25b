package dev.rolloutcontroller.security;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Console sessions, server-side and shared by every replica (table {@code console_sessions}): the
 * cookie holds only a random id, stored as its SHA-256; the session holds the token's hash (never the
 * secret) and the CSRF token. Every request re-authenticates the hash against {@link TokenRegistry},
 * so a revoked token ends its sessions at their next request, on every replica. Console pages run on
 * worker threads, so reading the table here never blocks an event loop.
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
    /** How stale {@code last_seen} may get before a request writes it again: one write a minute per browser, not one per request. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenRegistry registry;
    private final Clock clock;
    private final Duration idleTimeout;
    private final AgroalDataSource dataSource;

    ConsoleSessions(TokenRegistry registry, Clock clock,
                    @ConfigProperty(name = "rollout.console.session-idle-timeout", defaultValue = "PT8H") Duration idleTimeout,
                    AgroalDataSource dataSource) {
        this.registry = registry;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.dataSource = dataSource;
    }

    /** Signs in with a pasted token; empty when the token is unknown or revoked. */
    public Optional<Resolved> open(String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String hash = TokenSecrets.hash(secret.trim());
        return registry.authenticateHash(hash).map(caller -> {
            Instant now = clock.instant();
            Session session = new Session(randomToken(), hash, randomToken(), now, now);
            update("""
                    insert into console_sessions (id_hash, token_hash, csrf_token, signed_in_at, last_seen)
                    values (?, ?, ?, ?, ?)""", TokenSecrets.hash(session.id()), hash, session.csrfToken(),
                    Timestamp.from(now), Timestamp.from(now));
            update("""
                    delete from console_sessions where id_hash in (
                        select id_hash from console_sessions order by last_seen desc offset ?)""", MAX_SESSIONS);
            return new Resolved(session, caller);
        });
    }

    /** The session behind a cookie, if it exists, is not idle too long and its token still authenticates. */
    public Optional<Resolved> resolve(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String idHash = TokenSecrets.hash(id);
        Optional<Session> stored = find(id, idHash);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Session session = stored.get();
        Instant now = clock.instant();
        Optional<Caller> caller = registry.authenticateHash(session.tokenHash());
        if (caller.isEmpty() || session.lastSeen().plus(idleTimeout).isBefore(now)) {
            update("delete from console_sessions where id_hash = ?", idHash);
            return Optional.empty();
        }
        if (session.lastSeen().plus(TOUCH_INTERVAL).isBefore(now)) {
            update("update console_sessions set last_seen = ? where id_hash = ?", Timestamp.from(now), idHash);
            session = new Session(session.id(), session.tokenHash(), session.csrfToken(), session.signedInAt(), now);
        }
        return Optional.of(new Resolved(session, caller.get()));
    }

    /** Signs out: the session ends on every replica. */
    public void close(String id) {
        if (id != null && !id.isEmpty()) {
            update("delete from console_sessions where id_hash = ?", TokenSecrets.hash(id));
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
        update("delete from console_sessions where last_seen < ?", Timestamp.from(clock.instant().minus(idleTimeout)));
    }

    private Optional<Session> find(String id, String idHash) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select token_hash, csrf_token, signed_in_at, last_seen from console_sessions where id_hash = ?")) {
            select.setString(1, idHash);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new Session(id, row.getString(1), row.getString(2),
                                row.getTimestamp(3).toInstant(), row.getTimestamp(4).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PersistenceException("reading a console session failed", e);
        }
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException("writing a console session failed", e);
        }
    }
}
