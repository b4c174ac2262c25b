package dev.rolloutcontroller.persistence;

import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
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
import java.util.List;
import java.util.Map;

/** One evaluation pass of one rollout: the decision journal. */
@Entity
@Immutable
@Table(name = "evaluations")
public class EvaluationEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_key", nullable = false)
    public String rolloutKey;

    @Column(name = "evaluated_at", nullable = false)
    public Instant evaluatedAt;

    @Column(name = "rollout_version", nullable = false)
    public long rolloutVersion;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String step;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String reason;

    @Column(name = "ready_to_advance", nullable = false)
    public boolean readyToAdvance;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "exit_gates", nullable = false)
    public List<GateResult> exitGates;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "entry_gates", nullable = false)
    public List<GateResult> entryGates;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<TriggerResult> triggers;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<Integer, Integer> streaks;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> convergence;

    /** Why the decided action could not be applied; null when the pass applied it. */
    public String failure;

    /** The plan version the pass judged with (see {@code plan_versions}). */
    @Column(name = "plan_version", nullable = false)
    public int planVersion = 1;

    /** The evaluator lease epoch under which the leader decided; null for an operator's evaluate-now. */
    @Column(name = "lease_epoch")
    public Long leaseEpoch;
}
