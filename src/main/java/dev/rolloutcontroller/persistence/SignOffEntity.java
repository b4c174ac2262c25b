package dev.rolloutcontroller.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A role's approval of a step; withdrawn (never deleted) while the step is still ahead or current. */
@Entity
@Table(name = "sign_offs")
public class SignOffEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_key", nullable = false)
    public String rolloutKey;

    @Column(nullable = false)
    public String step;

    @Column(nullable = false)
    public String role;

    @Column(nullable = false)
    public String actor;

    public String comment;

    @Column(name = "signed_at", nullable = false)
    public Instant signedAt;

    @Column(name = "withdrawn_at")
    public Instant withdrawnAt;

    @Column(name = "withdrawn_by")
    public String withdrawnBy;
}
