package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Gate;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.persistence.SignOffEntity;
import dev.rolloutcontroller.security.Caller;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.Rollouts;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sign-offs: a holder of a sign-off role approves a step. They count for the evaluator's sign-off
 * gates until withdrawn; going back (step-back, rollback, restart) withdraws the approvals of the
 * steps that have to be passed again ({@code RolloutService} does it with the action), so a rollout
 * never re-advances on a stale approval.
 */
@ApplicationScoped
public class SignOffService {

    public record SignOffView(long id, String step, String role, String actor, String comment, Instant signedAt,
                              Instant withdrawnAt, String withdrawnBy) {
        static SignOffView of(SignOffEntity e) {
            return new SignOffView(e.id, e.step, e.role, e.actor, e.comment, e.signedAt, e.withdrawnAt, e.withdrawnBy);
        }
    }

    /** A sign-off and whether this request created it. */
    public record Given(SignOffView signOff, boolean created) {
    }

    static final int MAX_COMMENT = 2000;

    private final AuditLog auditLog;
    private final Clock clock;

    SignOffService(AuditLog auditLog, Clock clock) {
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Transactional
    public Given signOff(String key, String roleName, String stepName, String comment, Caller caller) {
        Rollout rollout = lockedRollout(key);
        List<FieldError> errors = new ArrayList<>();
        if (roleName == null || !Vocabulary.SIGN_OFF_ROLES.contains(roleName)) {
            errors.add(new FieldError("role", "required: one of " + Vocabulary.SIGN_OFF_ROLES));
        }
        if (comment != null && comment.length() > MAX_COMMENT) {
            errors.add(new FieldError("comment", "at most " + MAX_COMMENT + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
        String step = stepName != null ? stepName : stepNeedingRole(rollout, roleName);
        int stepIndex = indexOf(rollout, step);
        requireHolds(caller, roleName);
        requireStillAhead(rollout, step, stepIndex);
        SignOffEntity existing = SignOffEntity.find("rolloutKey = ?1 and step = ?2 and role = ?3 and withdrawnAt is null",
                key, step, roleName).firstResult();
        if (existing != null) {
            return new Given(SignOffView.of(existing), false);
        }
        SignOffEntity signOff = new SignOffEntity();
        signOff.rolloutKey = key;
        signOff.step = step;
        signOff.role = roleName;
        signOff.actor = caller.name();
        signOff.comment = comment;
        signOff.signedAt = clock.instant();
        signOff.persist();
        auditLog.record(key, "sign-off.given", caller.name(), comment, null,
                Map.of("step", step, "role", roleName), signOff.signedAt);
        return new Given(SignOffView.of(signOff), true);
    }

    @Transactional
    public SignOffView withdraw(String key, long id, Caller caller) {
        Rollout rollout = lockedRollout(key);
        SignOffEntity signOff = SignOffEntity.find("id = ?1 and rolloutKey = ?2", id, key).firstResult();
        if (signOff == null) {
            throw ServiceException.notFound("sign-off " + id + " of rollout '" + key + "'");
        }
        requireHolds(caller, signOff.role);
        if (signOff.withdrawnAt != null) {
            return SignOffView.of(signOff);
        }
        requireStillAhead(rollout, signOff.step, indexOf(rollout, signOff.step));
        signOff.withdrawnAt = clock.instant();
        signOff.withdrawnBy = caller.name();
        auditLog.record(key, "sign-off.withdrawn", caller.name(), null,
                Map.of("step", signOff.step, "role", signOff.role), null, signOff.withdrawnAt);
        return SignOffView.of(signOff);
    }

    public List<SignOffView> list(String key) {
        Rollouts.existing(key);
        return SignOffEntity.<SignOffEntity>list("rolloutKey = ?1 order by id", key).stream().map(SignOffView::of).toList();
    }

    /** Step name → roles with an active sign-off, as the engine reads them. */
    public Map<String, Set<String>> activeByStep(String key) {
        Map<String, Set<String>> byStep = new HashMap<>();
        SignOffEntity.<SignOffEntity>list("rolloutKey = ?1 and withdrawnAt is null", key)
                .forEach(s -> byStep.computeIfAbsent(s.step, step -> new HashSet<>()).add(s.role));
        return byStep;
    }

    /** Without a step named: the next step if its entry gates need the role, else the current step. */
    private static String stepNeedingRole(Rollout rollout, String role) {
        if (rollout.nextStep().isPresent() && needsRole(rollout.nextStep().get().entryGates(), role)) {
            return rollout.nextStep().get().name();
        }
        return rollout.currentStep().name();
    }

    private static boolean needsRole(List<Gate> gates, String role) {
        return gates.stream().anyMatch(g -> g instanceof Gate.SignOff signOff && signOff.role().equals(role));
    }

    private static int indexOf(Rollout rollout, String step) {
        List<Step> steps = rollout.plan().steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(step)) {
                return i;
            }
        }
        throw ServiceException.invalid("step", "unknown step '" + step + "'; the plan has "
                + steps.stream().map(Step::name).toList());
    }

    private static void requireHolds(Caller caller, String role) {
        if (!caller.may(Role.fromWireName(role).orElseThrow())) {
            throw new ServiceException(ServiceException.Kind.FORBIDDEN, "signing off as '" + role + "' needs a token holding that role");
        }
    }

    private static void requireStillAhead(Rollout rollout, String step, int stepIndex) {
        boolean over = rollout.status() == RolloutStatus.COMPLETED || rollout.status() == RolloutStatus.ROLLED_BACK;
        if (over || stepIndex < rollout.stepIndex()) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, "step '" + step + "' has already been left ("
                    + rollout.status() + " at '" + rollout.currentStep().name() + "'): its sign-offs are final")
                    .with("currentStatus", rollout.status().name());
        }
    }

    private static Rollout lockedRollout(String key) {
        return RolloutMapping.toDomain(Rollouts.locked(key));
    }
}
