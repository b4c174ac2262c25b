package dev.rolloutcontroller.security;

import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.persistence.ApiTokenEntity;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.service.ServiceException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Creates, lists and revokes API tokens; each change is audited and reaches the registry at once. */
@ApplicationScoped
public class TokenService {

    public record IssuedToken(TokenView token, String secret) {
    }

    public record TokenView(UUID id, String name, List<String> roles, Instant createdAt, String createdBy,
                            Instant lastUsedAt, Instant revokedAt) {
    }

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    /** A token's name, as the OpenAPI document declares it too. */
    public static final int MAX_NAME = 100;
    public static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    /** Serialises bootstrap across replicas starting together on one empty database. */
    private static final long BOOTSTRAP_LOCK_ID = 0x726f6c6c6f7574L;

    private final TokenRegistry registry;
    private final AuditLog auditLog;
    private final Clock clock;
    private final int httpPort;

    TokenService(TokenRegistry registry, AuditLog auditLog, Clock clock,
                 @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.registry = registry;
        this.auditLog = auditLog;
        this.clock = clock;
        this.httpPort = httpPort;
    }

    void onStart(@Observes StartupEvent event) {
        if (!registry.hasBootstrapAdminToken()) {
            generateFirstAdminTokenIfNone().ifPresent(secret -> LOG.warnf(
                    "No admin token existed, so one was generated. It is shown only this once; keep it now:%n%n"
                    + "    export ROLLOUT_TOKEN=%s%n"
                    + "    curl -H \"Authorization: Bearer $ROLLOUT_TOKEN\" http://localhost:%d/api/v1/rollouts%n%n"
                    + "Use it to create named tokens (POST /api/v1/tokens), or set ROLLOUT_ADMIN_TOKEN to choose your own.",
                    secret, httpPort));
        }
        registry.reload();
    }

    /**
     * Gives a database without any active admin token its first one, so a fresh install can be
     * administered. Returns the secret, which is stored only as a hash.
     */
    Optional<String> generateFirstAdminTokenIfNone() {
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiTokenEntity.getEntityManager()
                    .createNativeQuery("select pg_advisory_xact_lock(" + BOOTSTRAP_LOCK_ID + ")").getSingleResult();
            boolean adminExists = ApiTokenEntity.<ApiTokenEntity>list("revokedAt is null").stream()
                    .anyMatch(token -> TokenRegistry.parseRoles(token.roles).contains(Role.ADMIN));
            if (adminExists) {
                return Optional.<String>empty();
            }
            String secret = TokenSecrets.generate();
            persist("generated-admin-" + UUID.randomUUID().toString().substring(0, 8), Set.of(Role.ADMIN), secret, "bootstrap");
            return Optional.of(secret);
        });
    }

    public IssuedToken create(String name, List<String> roleNames, String actor) {
        Set<Role> roles = validate(name, roleNames);
        String secret = TokenSecrets.generate();
        ApiTokenEntity saved = QuarkusTransaction.requiringNew().call(() -> {
            if (ApiTokenEntity.count("name = ?1 and revokedAt is null", name) > 0) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, "an active token named '" + name + "' already exists");
            }
            return persist(name, roles, secret, actor);
        });
        registry.reload();
        return new IssuedToken(view(saved), secret);
    }

    public List<TokenView> list() {
        return ApiTokenEntity.<ApiTokenEntity>list("order by createdAt").stream().map(TokenService::view).toList();
    }

    public TokenView revoke(UUID id, String actor) {
        ApiTokenEntity revoked = QuarkusTransaction.requiringNew().call(() -> {
            ApiTokenEntity token = ApiTokenEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (token == null) {
                throw ServiceException.notFound("token " + id);
            }
            if (token.revokedAt == null) {
                token.revokedAt = clock.instant();
                TokenRegistry.announceChange(token.id);
                auditLog.record(null, "token.revoked", actor, null, Map.of("id", id.toString(), "name", token.name),
                        null, token.revokedAt);
            }
            return token;
        });
        registry.reload();
        return view(revoked);
    }

    private ApiTokenEntity persist(String name, Set<Role> roles, String secret, String actor) {
        ApiTokenEntity token = new ApiTokenEntity();
        token.id = UUID.randomUUID();
        token.name = name;
        token.secretHash = TokenSecrets.hash(secret);
        token.roles = roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(","));
        token.createdAt = clock.instant();
        token.createdBy = actor;
        token.persist();
        TokenRegistry.announceChange(token.id);
        auditLog.record(null, "token.created", actor, null, null,
                Map.of("id", token.id.toString(), "name", name, "roles", List.of(token.roles.split(","))), token.createdAt);
        return token;
    }

    private static Set<Role> validate(String name, List<String> roleNames) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "required: 1-100 characters, letters, digits and . _ @ -, starting with a letter or digit"));
        }
        Set<Role> roles = new LinkedHashSet<>();
        if (roleNames == null || roleNames.isEmpty()) {
            errors.add(new FieldError("roles", "at least one role is required: " + allRoleNames()));
        } else {
            for (int i = 0; i < roleNames.size(); i++) {
                Optional<Role> role = Role.fromWireName(roleNames.get(i));
                if (role.isEmpty()) {
                    errors.add(new FieldError("roles[" + i + "]", "unknown role '" + roleNames.get(i) + "'; one of " + allRoleNames()));
                } else {
                    roles.add(role.get());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
        return roles;
    }

    private static String allRoleNames() {
        return java.util.Arrays.stream(Role.values()).map(Role::wireName).collect(Collectors.joining(", "));
    }

    private static TokenView view(ApiTokenEntity token) {
        return new TokenView(token.id, token.name, List.of(token.roles.split(",")), token.createdAt, token.createdBy,
                token.lastUsedAt, token.revokedAt);
    }
}
