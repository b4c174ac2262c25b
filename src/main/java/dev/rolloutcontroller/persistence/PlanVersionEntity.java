package dev.rolloutcontroller.persistence;

import dev.rolloutcontroller.domain.PlanSpec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** One version of a rollout's plan: 1 at creation, one more per accepted edit. Append-only. */
@Entity
@Immutable
@Table(name = "plan_versions")
public class PlanVersionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_key", nullable = false)
    public String rolloutKey;

    @Column(nullable = false)
    public int version;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public PlanSpec plan;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    public String reason;

    public static PlanVersionEntity of(String rolloutKey, int version, PlanSpec plan, Instant at, String actor, String reason) {
        PlanVersionEntity entity = new PlanVersionEntity();
        entity.rolloutKey = rolloutKey;
        entity.version = version;
        entity.plan = plan;
        entity.changedAt = at;
        entity.changedBy = actor;
        entity.reason = reason;
        return entity;
    }
}
