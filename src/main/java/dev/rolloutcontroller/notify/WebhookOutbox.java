package dev.rolloutcontroller.notify;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.persistence.AuditRecorded;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The transactional outbox of webhook deliveries.
 *
 * <ul>
 *   <li>{@link #enqueue} runs inside the transaction that writes an audit event (it observes
 *       {@link AuditRecorded} synchronously), so a delivery exists exactly when its event was committed.</li>
 *   <li>{@link #claim} takes due rows with {@code FOR UPDATE SKIP LOCKED} in one short statement, counts
 *       the attempt and leases the row by pushing its due time {@code rollout.webhooks.lease} ahead. No
 *       lock is held across the HTTP call: if the worker dies, the row is simply due again later.</li>
 *   <li>{@link #complete} records the outcome only while the claim is still the latest one (the attempt
 *       number fences off a worker whose lease ran out and whose row was claimed again).</li>
 * </ul>
 */
@ApplicationScoped
public class WebhookOutbox {

    /** A claimed delivery: {@code attempt} is this attempt's number (1 for the first). */
    public record Claimed(long id, int attempt, UUID subscriptionId, long eventId, NotificationType type) {
    }

    /**
     * A claimed delivery with what it needs to be sent, or with the {@code problem} that keeps it from
     * being sent (recorded as a failed attempt, so it cannot block the outbox and ends up dead).
     */
    public record Prepared(Claimed claimed, String url, String format, String secret, Notification notification,
                           String problem) {
    }

    /** What an attempt got: an HTTP status, or an error when there was no answer. */
    public record Outcome(Integer httpStatus, String error) {
        public boolean delivered() {
            return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
        }
    }

    private static final Logger LOG = Logger.getLogger(WebhookOutbox.class);

    static final List<String> TRIGGER_ACTIONS = List.of("ROLLBACK", "STEP_BACK", "PAUSE");
    static final int MAX_ERROR = 500;

    private static final String INSERT_FOR_SUBSCRIBERS = """
            insert into webhook_deliveries (subscription_id, event_id, type, rollout_key, status, attempts, next_attempt_at, created_at)
            select s.id, :event, :type, :rollout, 'PENDING', 0, :at, :at
              from webhook_subscriptions s
             where (s.events is null or s.events @> jsonb_build_array(cast(:type as text)))
               and (s.rollouts is null or s.rollouts @> jsonb_build_array(cast(:rollout as text)))""";

    private static final String CLAIM = """
            update webhook_deliveries d
               set attempts = d.attempts + 1, next_attempt_at = ?, last_attempt_at = ?
             where d.id in (select id from webhook_deliveries
                             where status = 'PENDING' and next_attempt_at <= ?
                             order by next_attempt_at, id
                             limit ?
                               for update skip locked)
            returning d.id, d.attempts, d.subscription_id, d.event_id, d.type""";

    private static final String COMPLETE = """
            update webhook_deliveries
               set status = ?, next_attempt_at = ?, last_http_status = ?, last_error = ?, delivered_at = ?
             where id = ? and attempts = ? and status = 'PENDING'""";

    private final AgroalDataSource dataSource;
    private final RolloutConfig config;

    WebhookOutbox(AgroalDataSource dataSource, RolloutConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /**
     * One delivery per subscription that wants this event's notification; nothing when it is not notified.
     * A synchronous observer (the default {@code IN_PROGRESS} phase): it runs in the audit event's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void enqueue(@Observes(during = TransactionPhase.IN_PROGRESS) AuditRecorded recorded) {
        EventEntity event = recorded.event();
        Optional<NotificationType> type = NotificationType.forAuditEvent(event.type, event.actor, event.after);
        if (type.isEmpty()) {
            return;
        }
        EventEntity.getEntityManager().createNativeQuery(INSERT_FOR_SUBSCRIBERS)
                .setParameter("event", event.id)
                .setParameter("type", type.get().wireName())
                .setParameter("rollout", event.rolloutKey)
                .setParameter("at", event.occurredAt)
                .executeUpdate();
    }

    /** The test notification of {@code POST /webhooks/{id}/test}: for this subscription only. */
    @Transactional(Transactional.TxType.MANDATORY)
    WebhookDeliveryEntity enqueueTest(UUID subscriptionId, EventEntity event) {
        WebhookDeliveryEntity delivery = new WebhookDeliveryEntity();
        delivery.subscriptionId = subscriptionId;
        delivery.eventId = event.id;
        delivery.type = NotificationType.WEBHOOK_TEST.wireName();
        delivery.status = WebhookDeliveryEntity.PENDING;
        delivery.nextAttemptAt = event.occurredAt;
        delivery.createdAt = event.occurredAt;
        delivery.persist();
        return delivery;
    }

    /** Claims up to {@code limit} due deliveries, in one statement (its own transaction). */
    public List<Claimed> claim(Instant now, int limit) {
        List<Claimed> claimed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setObject(1, utc(now.plus(config.webhooks().lease())));
            statement.setObject(2, utc(now));
            statement.setObject(3, utc(now));
            statement.setInt(4, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    NotificationType type = NotificationType.fromWireName(rows.getString(5)).orElseThrow();
                    claimed.add(new Claimed(rows.getLong(1), rows.getInt(2), rows.getObject(3, UUID.class), rows.getLong(4), type));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("claiming webhook deliveries failed: " + e.getMessage(), e);
        }
        return claimed;
    }

    /**
     * Reads what the claimed deliveries need and renders their notifications. A delivery whose
     * subscription was deleted after the claim is gone with it and is left out.
     */
    public List<Prepared> prepare(List<Claimed> claimed) {
        String baseUrl = config.webhooks().publicUrl().map(url -> url.replaceAll("/+$", "")).orElse("");
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Prepared> prepared = new ArrayList<>();
            for (Claimed delivery : claimed) {
                WebhookSubscriptionEntity subscription = WebhookSubscriptionEntity.findById(delivery.subscriptionId());
                if (subscription != null) {
                    prepared.add(prepare(delivery, subscription, baseUrl));
                }
            }
            return prepared;
        });
    }

    private static Prepared prepare(Claimed delivery, WebhookSubscriptionEntity subscription, String baseUrl) {
        EventEntity event = EventEntity.findById(delivery.eventId());
        String problem = null;
        Notification notification = null;
        if (event == null) {
            problem = "audit event " + delivery.eventId() + " does not exist";
        } else {
            EvaluationEntity evaluation = evaluationBehind(delivery.type(), event);
            Plan plan = delivery.type() == NotificationType.ROLLOUT_READY ? plan(event.rolloutKey) : null;
            try {
                notification = Notifications.of(delivery.type(), event, evaluation, plan, baseUrl);
            } catch (RuntimeException e) {
                LOG.errorf(e, "webhook delivery %d: building the %s notification failed", delivery.id(), delivery.type().wireName());
                problem = "the notification could not be built; the service log has the details";
            }
        }
        return new Prepared(delivery, subscription.url, subscription.format, subscription.secret, notification, problem);
    }

    /**
     * Records an attempt: delivered, or due again after the backoff, or dead after the last attempt.
     * Empty when the claim had expired and the row was claimed again (that attempt records instead).
     */
    public Optional<String> complete(Claimed claimed, Outcome outcome, Instant now) {
        String status;
        Instant next = null;
        if (outcome.delivered()) {
            status = WebhookDeliveryEntity.DELIVERED;
        } else if (claimed.attempt() >= config.webhooks().maxAttempts()) {
            status = WebhookDeliveryEntity.DEAD;
        } else {
            status = WebhookDeliveryEntity.PENDING;
            next = now.plus(Backoff.delay(config.webhooks().initialBackoff(), claimed.attempt(),
                    ThreadLocalRandom.current().nextDouble()));
        }
        String error = outcome.error() == null || outcome.error().length() <= MAX_ERROR
                ? outcome.error() : outcome.error().substring(0, MAX_ERROR);
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(COMPLETE)) {
            statement.setString(1, status);
            statement.setObject(2, next == null ? null : utc(next), Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setObject(3, outcome.httpStatus(), Types.INTEGER);
            statement.setString(4, error);
            statement.setObject(5, outcome.delivered() ? utc(now) : null, Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setLong(6, claimed.id());
            statement.setInt(7, claimed.attempt());
            return statement.executeUpdate() == 1 ? Optional.of(status) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("recording webhook delivery " + claimed.id() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The journal entry of the evaluation behind an event, written in the event's transaction: the
     * evaluation at the version left by an advance (its gates, when they all passed), the one whose
     * trigger acted, or the one that marked the rollout ready.
     */
    private static EvaluationEntity evaluationBehind(NotificationType type, EventEntity event) {
        return switch (type) {
            case STEP_ADVANCED, ROLLOUT_COMPLETED -> EvaluationEntity.<EvaluationEntity>find(
                    "rolloutKey = ?1 and rolloutVersion = ?2 and failure is null order by id desc", event.rolloutKey, version(event.before))
                    .firstResult();
            case TRIGGER_BREACHED -> EvaluationEntity.<EvaluationEntity>find(
                    "rolloutKey = ?1 and rolloutVersion = ?2 and action in ?3 and failure is null order by id desc",
                    event.rolloutKey, version(event.before), TRIGGER_ACTIONS).firstResult();
            case ROLLOUT_READY -> EvaluationEntity.<EvaluationEntity>find(
                    "rolloutKey = ?1 and rolloutVersion = ?2 and action = 'MARK_READY' and failure is null and evaluatedAt >= ?3 order by id",
                    event.rolloutKey, version(event.after), event.occurredAt).firstResult();
            default -> null;
        };
    }

    private static Plan plan(String key) {
        RolloutEntity row = RolloutEntity.findById(key);
        return row == null ? null : RolloutMapping.toDomain(row).plan();
    }

    private static long version(Map<String, Object> state) {
        return state == null || !(state.get("version") instanceof Number number) ? -1 : number.longValue();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
