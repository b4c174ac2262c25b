package dev.rolloutcontroller.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/** The figures "relative to baseline" conditions compare with when no legacy sessions report. */
@Entity
@Table(name = "baselines")
public class BaselineEntity extends PanacheEntityBase {

    @Id
    @Column(name = "rollout_key")
    public String rolloutKey;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Double> metrics;

    /** "auto" (captured when leaving a step) or "operator". */
    @Column(nullable = false)
    public String source;

    public String step;

    @Column(name = "captured_at", nullable = false)
    public Instant capturedAt;
}
