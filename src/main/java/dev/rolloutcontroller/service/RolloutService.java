package dev.rolloutcontroller.service;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.Transition;
import dev.rolloutcontroller.domain.Validated;
import dev.rolloutcontroller.evaluator.SignOffService;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Every change to a rollout: validated, applied under a row lock with the version checked, and
 * audited in the same transaction. Two concurrent actions therefore serialise on the row, and the
 * second sees the first's version.
 */
@ApplicationScoped
public class RolloutService {

    /** A stored rollout plus what the evaluator last concluded about it. */
    public record StoredRollout(Rollout rollout, boolean readyToAdvance) {
    }

    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_REASON = 2000;

    private final AuditLog auditLog;
    private final SignOffService signOffs;
    private final Clock clock;
    private final Event<RolloutChanged> changed;

    RolloutService(AuditLog auditLog, SignOffService signOffs, Clock clock, Event<RolloutChanged> changed) {
        this.auditLog = auditLog;
        this.signOffs = signOffs;
        this.clock = clock;
        this.changed = changed;
    }

    @Transactional
    public StoredRollout create(CreateRollout request, String actor) {
        Rollout rollout = validNewRollout(request);
        if (RolloutEntity.findById(rollout.key()) != null) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, "a rollout with key '" + rollout.key() + "' already exists");
        }
        RolloutEntity row = RolloutMapping.copyOnto(rollout, new RolloutEntity());
        row.persistAndFlush();
        auditLog.record(rollout.key(), "rollout.created", actor, null, null, snapshot(rollout), rollout.createdAt());
        changed.fire(new RolloutChanged(rollout));
        return new StoredRollout(rollout, false);
    }

    public List<StoredRollout> list() {
        return RolloutEntity.<RolloutEntity>list("order by key").stream()
                .map(row -> new StoredRollout(RolloutMapping.toDomain(row), row.readyToAdvance)).toList();
    }

    public StoredRollout get(String key) {
        RolloutEntity row = RolloutEntity.findById(key);
        if (row == null) {
            throw ServiceException.notFound("rollout '" + key + "'");
        }
        return new StoredRollout(RolloutMapping.toDomain(row), row.readyToAdvance);
    }

    @Transactional
    public StoredRollout act(String key, Action action, Long expectedVersion, String reason, boolean force, String actor) {
        requireReason(action, reason, force);
        String eventType = force ? "rollout.force-" + eventType(action).substring("rollout.".length()) : eventType(action);
        StoredRollout result = change(key, expectedVersion, actor, reason, eventType, rollout -> {
            Transition transition = RolloutStateMachine.apply(rollout, action, clock.instant());
            if (transition instanceof Transition.Rejected rejected) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, rejected.message())
                        .with("currentStatus", rejected.status().name())
                        .with("allowedActions", rejected.allowed().stream().map(Action::wireName).sorted().toList());
            }
            return ((Transition.Applied) transition).rollout();
        });
        // Going back means passing those steps' gates again: their approvals must be given anew.
        switch (action) {
            case STEP_BACK -> signOffs.withdrawFrom(result.rollout(), result.rollout().stepIndex(), actor, clock.instant());
            case ROLLBACK, RESTART -> signOffs.withdrawFrom(result.rollout(), 0, actor, clock.instant());
            default -> {
            }
        }
        return result;
    }

    @Transactional
    public StoredRollout replaceCanarySessions(String key, List<String> sessions, Long expectedVersion, String actor) {
        List<String> valid = validCanaryList(sessions, "sessions");
        return change(key, expectedVersion, actor, null, "canary.replaced", rollout -> withCanary(rollout, valid));
    }

    @Transactional
    public StoredRollout addCanarySession(String key, String sessionId, Long expectedVersion, String actor) {
        requireValidSessionId(sessionId);
        return change(key, expectedVersion, actor, null, "canary.added", rollout -> {
            if (rollout.canarySessions().contains(sessionId)) {
                return rollout;
            }
            if (rollout.canarySessions().size() >= Identifiers.MAX_CANARY_SESSIONS) {
                throw new ServiceException(ServiceException.Kind.CONFLICT,
                        "the canary list already holds the maximum of " + Identifiers.MAX_CANARY_SESSIONS + " sessions");
            }
            List<String> next = new ArrayList<>(rollout.canarySessions());
            next.add(sessionId);
            return withCanary(rollout, next);
        });
    }

    @Transactional
    public StoredRollout removeCanarySession(String key, String sessionId, Long expectedVersion, String actor) {
        return change(key, expectedVersion, actor, null, "canary.removed", rollout -> {
            if (!rollout.canarySessions().contains(sessionId)) {
                throw ServiceException.notFound("session '" + sessionId + "' in the canary list of '" + key + "'");
            }
            List<String> next = new ArrayList<>(rollout.canarySessions());
            next.remove(sessionId);
            return withCanary(rollout, next);
        });
    }

    public List<EventEntity> events(String key, int limit, Long beforeId) {
        Rollouts.existing(key);
        return auditLog.page(key, limit, beforeId);
    }

    /**
     * Locks the row, checks the caller's version, applies the change and audits it. A change that
     * returns the rollout unchanged is a no-op: no new version, no event.
     */
    private StoredRollout change(String key, Long expectedVersion, String actor, String reason, String eventType,
                                 UnaryOperator<Rollout> change) {
        RolloutEntity row = Rollouts.locked(key);
        if (expectedVersion != null && expectedVersion != row.version) {
            throw new ServiceException(ServiceException.Kind.PRECONDITION_FAILED,
                    "If-Match names version " + expectedVersion + " but the rollout is at version " + row.version)
                    .with("currentVersion", row.version);
        }
        Rollout before = RolloutMapping.toDomain(row);
        Rollout after = change.apply(before);
        if (after == before) {
            return new StoredRollout(before, row.readyToAdvance);
        }
        RolloutMapping.copyOnto(after, row);
        row.readyToAdvance = false;
        row.convergedAt = null;
        auditLog.record(key, eventType, actor, reason, snapshot(before), snapshot(after), after.updatedAt());
        changed.fire(new RolloutChanged(after));
        return new StoredRollout(after, false);
    }

    private Rollout withCanary(Rollout rollout, List<String> sessions) {
        Instant now = clock.instant();
        return new Rollout(rollout.key(), rollout.description(), rollout.status(), rollout.stepIndex(), rollout.plan(),
                sessions, rollout.autoAdvance(), rollout.version() + 1, rollout.createdAt(), now,
                rollout.stepEnteredAt(), rollout.env(), rollout.stickinessGroup());
    }

    /** The state an audit event records before and after a change. */
    public static Map<String, Object> snapshot(Rollout rollout) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", rollout.status().name());
        state.put("step", rollout.currentStep().name());
        state.put("stepIndex", rollout.stepIndex());
        state.put("percentage", rollout.percentage());
        state.put("canarySessions", rollout.canarySessions());
        state.put("version", rollout.version());
        return state;
    }

    private static String eventType(Action action) {
        return switch (action) {
            case START -> "rollout.started";
            case ADVANCE -> "rollout.advanced";
            case STEP_BACK -> "rollout.stepped-back";
            case PAUSE -> "rollout.paused";
            case RESUME -> "rollout.resumed";
            case ROLLBACK -> "rollout.rolled-back";
            case RESTART -> "rollout.restarted";
        };
    }

    private static void requireReason(Action action, String reason, boolean force) {
        boolean blank = reason == null || reason.isBlank();
        if (blank && action == Action.ROLLBACK) {
            throw ServiceException.invalid("reason", "a rollback needs a reason: say what went wrong");
        }
        if (blank && force) {
            throw ServiceException.invalid("reason", "a forced action needs a reason: say why the gates may be passed");
        }
        if (force && action != Action.ADVANCE && action != Action.START) {
            throw ServiceException.invalid("force", "only start and advance can be forced (they are the actions gates guard)");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw ServiceException.invalid("reason", "at most " + MAX_REASON + " characters");
        }
    }

    private static void requireValidSessionId(String sessionId) {
        Identifiers.sessionIdProblem(sessionId).ifPresent(problem -> {
            throw ServiceException.invalid("sessionId", problem);
        });
    }

    private static List<String> validCanaryList(List<String> sessions, String field) {
        Validated<List<String>> result = Identifiers.canaryList(sessions, field);
        if (result instanceof Validated.Invalid<List<String>> invalid) {
            throw ServiceException.invalid(invalid.errors());
        }
        return ((Validated.Valid<List<String>>) result).value();
    }

    private Rollout validNewRollout(CreateRollout request) {
        if (request == null) {
            throw ServiceException.invalid("body", "a JSON object with at least a 'key' is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.key() == null || !Identifiers.isValidKey(request.key())) {
            errors.add(new FieldError("key", "required: 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit"));
        }
        String description = request.description() == null ? "" : request.description();
        if (description.length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "at most " + MAX_DESCRIPTION + " characters"));
        }
        List<String> canary = List.of();
        if (request.canarySessions() != null) {
            Validated<List<String>> result = Identifiers.canaryList(request.canarySessions(), "canarySessions");
            if (result instanceof Validated.Invalid<List<String>> invalid) {
                errors.addAll(invalid.errors());
            } else {
                canary = ((Validated.Valid<List<String>>) result).value();
            }
        }
        Plan plan = null;
        if (request.plan() == null) {
            plan = Plan.checklist(Boolean.TRUE.equals(request.shadowStep()));
        } else if (request.shadowStep() != null) {
            errors.add(new FieldError("shadowStep", "give either a plan or shadowStep, not both: a custom plan names its own steps"));
        } else {
            Validated<Plan> result = PlanSpecs.toPlan(request.plan(), "plan");
            if (result instanceof Validated.Invalid<Plan> invalid) {
                errors.addAll(invalid.errors());
            } else {
                plan = ((Validated.Valid<Plan>) result).value();
            }
        }
        EnvMapping env = null;
        Validated<EnvMapping> envResult = EnvMapping.of(request.envPrefix(), request.flagVariable(), "");
        if (envResult instanceof Validated.Invalid<EnvMapping> invalid) {
            errors.addAll(invalid.errors());
        } else {
            env = ((Validated.Valid<EnvMapping>) envResult).value();
        }
        if (request.stickinessGroup() != null) {
            Identifiers.sessionIdProblem(request.stickinessGroup())
                    .ifPresent(problem -> errors.add(new FieldError("stickinessGroup", problem)));
        }
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
        boolean autoAdvance = request.autoAdvance() == null || request.autoAdvance();
        return Rollout.draft(request.key(), description, plan, canary, autoAdvance, env, request.stickinessGroup(), clock.instant());
    }
}
