package dev.rolloutcontroller.persistence;

import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.domain.RolloutStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/**
 * A rollout's row. The version is the domain's own counter, checked under a row lock by
 * {@code RolloutService}, not Hibernate's optimistic locking: a stale If-Match must be a 412 the
 * caller can see, not a retry.
 */
@Entity
@Table(name = "rollouts")
public class RolloutEntity extends PanacheEntityBase {

    @Id
    public String key;

    @Column(nullable = false)
    public String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RolloutStatus status;

    @Column(name = "step_index", nullable = false)
    public int stepIndex;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public PlanSpec plan;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "canary_sessions", nullable = false)
    public List<String> canarySessions;

    @Column(name = "auto_advance", nullable = false)
    public boolean autoAdvance;

    @Column(name = "ready_to_advance", nullable = false)
    public boolean readyToAdvance;

    @Column(nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "step_entered_at")
    public Instant stepEnteredAt;

    @Column(name = "env_prefix", nullable = false)
    public String envPrefix;

    @Column(name = "flag_variable", nullable = false)
    public String flagVariable;

    @Column(name = "stickiness_group")
    public String stickinessGroup;

    /** The number of the plan in force in {@code plan_versions}: 1 at creation, one more per edit of the plan. */
    @Column(name = "plan_version", nullable = false)
    public int planVersion = 1;

    /** When most reporting sessions first applied the current version (null until then). */
    @Column(name = "converged_at")
    public Instant convergedAt;

    /** When the evaluator starts this draft (null: it is started by hand); cleared once it leaves DRAFT. */
    @Column(name = "start_at")
    public Instant startAt;

    /** When {@code rollout.starting-soon} went out for the current {@link #startAt} (null: not yet). */
    @Column(name = "starting_soon_sent_at")
    public Instant startingSoonSentAt;
}
