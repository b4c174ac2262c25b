package dev.rolloutcontroller.notify;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** Webhook subscriptions: validated, audited, and never showing their secret. */
@ApplicationScoped
public class WebhookService {

    /** Declared as {@link #validated} checks it; members left out or null take the defaults the operation describes. */
    public record CreateWebhook(
            @Schema(required = true, minLength = 1, maxLength = MAX_URL, format = "uri") String url,
            @Schema(nullable = true, type = SchemaType.ARRAY, minItems = 1, implementation = EventType.class) List<String> events,
            @Schema(nullable = true, enumeration = {"json", "slack"}) String format,
            @Schema(nullable = true, minLength = MIN_SECRET, maxLength = MAX_SECRET) String secret,
            @Schema(nullable = true, type = SchemaType.ARRAY, minItems = 1, implementation = RolloutKey.class) List<String> rollouts) {
    }

    /** A notification type a subscription can ask for ({@link NotificationType#subscribable()}). */
    @Schema(name = "WebhookEventType", type = SchemaType.STRING, enumeration = {"rollout.started", "step.advanced",
            "rollout.ready", "trigger.breached", "rollout.paused", "rollout.resumed", "rollout.stepped-back",
            "rollout.rolled-back", "rollout.completed", "plan.changed", "evaluator.failed", "rollout.freeze-overridden",
            "rollout.scheduled", "rollout.starting-soon"})
    public static final class EventType {
        private EventType() {
        }
    }

    @Schema(name = "RolloutKey", type = SchemaType.STRING, maxLength = 63, pattern = "^[a-z0-9][a-z0-9-]{0,62}$")
    public static final class RolloutKey {
        private RolloutKey() {
        }
    }

    /**
     * A subscription as the API shows it. {@code events} lists what it receives ({@code allEvents}: every
     * type, including types added later); {@code rollouts} is null for every rollout; {@code signed} says
     * whether a secret is set (the secret itself is never shown).
     */
    public record WebhookView(UUID id, String url, String format, List<String> events, boolean allEvents,
                              List<String> rollouts, boolean signed, Instant createdAt, String createdBy) {
        static WebhookView of(WebhookSubscriptionEntity e) {
            return new WebhookView(e.id, e.url, e.format, e.events == null ? NotificationType.subscribable() : e.events,
                    e.events == null, e.rollouts, e.secret != null, e.createdAt, e.createdBy);
        }
    }

    /** One delivery: its state, attempts so far, the last answer (HTTP status) or error, and when it is due. */
    public record DeliveryView(long id, long eventId, String type, String rollout, String status, int attempts,
                               Integer lastHttpStatus, String lastError, Instant lastAttemptAt, Instant nextAttemptAt,
                               Instant createdAt, Instant deliveredAt) {
        static DeliveryView of(WebhookDeliveryEntity e) {
            return new DeliveryView(e.id, e.eventId, e.type, e.rolloutKey, e.status, e.attempts, e.lastHttpStatus,
                    e.lastError, e.lastAttemptAt, e.nextAttemptAt, e.createdAt, e.deliveredAt);
        }
    }

    static final List<String> FORMATS = List.of("json", "slack");
    static final int MAX_URL = 2000;
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;

    private final AuditLog auditLog;
    private final WebhookOutbox outbox;
    private final WebhookAddressPolicy addressPolicy;
    private final Clock clock;

    WebhookService(AuditLog auditLog, WebhookOutbox outbox, WebhookAddressPolicy addressPolicy, Clock clock) {
        this.auditLog = auditLog;
        this.outbox = outbox;
        this.addressPolicy = addressPolicy;
        this.clock = clock;
    }

    @Transactional
    public WebhookView create(CreateWebhook request, String actor) {
        WebhookSubscriptionEntity subscription = validated(request);
        subscription.id = UUID.randomUUID();
        subscription.createdAt = clock.instant();
        subscription.createdBy = actor;
        subscription.persist();
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("id", subscription.id.toString());
        after.put("host", URI.create(subscription.url).getHost());
        after.put("format", subscription.format);
        after.put("events", subscription.events);
        after.put("rollouts", subscription.rollouts);
        after.put("signed", subscription.secret != null);
        auditLog.record(null, "webhook.created", actor, null, null, after, subscription.createdAt);
        return WebhookView.of(subscription);
    }

    public List<WebhookView> list() {
        return WebhookSubscriptionEntity.<WebhookSubscriptionEntity>list("order by createdAt").stream().map(WebhookView::of).toList();
    }

    public WebhookView get(UUID id) {
        return WebhookView.of(find(id));
    }

    /** Deletes the subscription and its deliveries, pending ones included. */
    @Transactional
    public void delete(UUID id, String actor) {
        WebhookSubscriptionEntity subscription = find(id);
        subscription.delete();
        auditLog.record(null, "webhook.deleted", actor, null,
                Map.of("id", id.toString(), "host", URI.create(subscription.url).getHost()), null, clock.instant());
    }

    /** Newest first; {@code before} is the previous page's last id (exclusive). */
    public List<DeliveryView> deliveries(UUID id, int limit, Long before) {
        find(id);
        return (before == null
                ? WebhookDeliveryEntity.<WebhookDeliveryEntity>find("subscriptionId = ?1 order by id desc", id)
                : WebhookDeliveryEntity.<WebhookDeliveryEntity>find("subscriptionId = ?1 and id < ?2 order by id desc", id, before))
                .page(0, limit).list().stream().map(DeliveryView::of).toList();
    }

    /** Queues a {@code webhook.test} notification for this subscription; the worker sends it on its next pass. */
    @Transactional
    public DeliveryView test(UUID id, String actor) {
        find(id);
        EventEntity event = auditLog.record(null, "webhook.tested", actor, null, null,
                Map.of("subscription", id.toString()), clock.instant());
        return DeliveryView.of(outbox.enqueueTest(id, event));
    }

    private static WebhookSubscriptionEntity find(UUID id) {
        WebhookSubscriptionEntity subscription = WebhookSubscriptionEntity.findById(id);
        if (subscription == null) {
            throw ServiceException.notFound("webhook " + id);
        }
        return subscription;
    }

    private WebhookSubscriptionEntity validated(CreateWebhook request) {
        if (request == null) {
            throw ServiceException.invalid("body", "a JSON object with at least a 'url' is required");
        }
        List<FieldError> errors = new ArrayList<>();
        urlProblem(request.url()).ifPresent(problem -> errors.add(new FieldError("url", problem)));
        List<String> events = null;
        if (request.events() != null) {
            events = distinct(request.events(), "events", errors, NotificationType.subscribable()::contains,
                    "unknown event type; one of " + NotificationType.subscribable());
        }
        String format = request.format() == null ? "json" : request.format();
        if (!FORMATS.contains(format)) {
            errors.add(new FieldError("format", "one of " + FORMATS));
        }
        String secret = request.secret();
        if (secret != null && (secret.isBlank() || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET)) {
            errors.add(new FieldError("secret", MIN_SECRET + " to " + MAX_SECRET
                    + " characters (e.g. openssl rand -hex 32), or leave it out to send unsigned"));
        }
        List<String> rollouts = null;
        if (request.rollouts() != null) {
            rollouts = distinct(request.rollouts(), "rollouts", errors, key -> key != null && Identifiers.isValidKey(key),
                    "not a rollout key: 1-63 characters of a-z, 0-9 and '-'");
        }
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
        WebhookSubscriptionEntity subscription = new WebhookSubscriptionEntity();
        subscription.url = request.url();
        subscription.events = events;
        subscription.format = format;
        subscription.secret = secret;
        subscription.rollouts = rollouts;
        return subscription;
    }

    /** Only absolute http(s) URLs to a host the allow-list accepts, without credentials or fragment. */
    private Optional<String> urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("required: the http or https URL to POST notifications to");
        }
        if (url.length() > MAX_URL) {
            return Optional.of("at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("only http and https URLs are allowed");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("credentials in the URL are not allowed; use a secret to sign instead");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("a fragment (#...) is not sent over HTTP; leave it out");
        }
        // java.net.URI leaves the host out when it is not a valid name (127.1, 127.0.0.1.), yet the system
        // resolver would still read such a host as an address: judge it as written before refusing the URL.
        String host = uri.getHost() != null ? uri.getHost() : hostAsWritten(uri.getRawAuthority());
        Optional<String> refusal = host == null ? Optional.empty() : addressPolicy.refusal(host);
        if (refusal.isPresent()) {
            return refusal;
        }
        if (uri.getHost() == null) {
            return Optional.of("the URL needs a host name, e.g. https://hooks.slack.com/services/...");
        }
        return Optional.empty();
    }

    /** The host part of an authority java.net.URI could not split ({@code user@host:port}). */
    private static String hostAsWritten(String authority) {
        if (authority == null) {
            return null;
        }
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        int port = host.lastIndexOf(':');
        return port > host.lastIndexOf(']') ? host.substring(0, port) : host;
    }

    private static List<String> distinct(List<String> values, String field, List<FieldError> errors,
                                         Predicate<String> valid, String message) {
        if (values.isEmpty()) {
            errors.add(new FieldError(field, "give at least one, or leave the field out for all"));
            return null;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!valid.test(values.get(i))) {
                errors.add(new FieldError(field + "[" + i + "]", message));
            }
        }
        return values.stream().distinct().toList();
    }
}
