package dev.rolloutcontroller.notify;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A webhook subscription. {@code secret} signs the bodies and never leaves the service. */
@Entity
@Table(name = "webhook_subscriptions")
public class WebhookSubscriptionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String url;

    /** Notification types; null means every type. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> events;

    @Column(nullable = false)
    public String format;

    public String secret;

    /** Rollout keys; null means every rollout. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> rollouts;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
