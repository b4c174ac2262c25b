package dev.rolloutcontroller.service;

import dev.rolloutcontroller.domain.Action;
import dev.rolloutcontroller.domain.DeploymentCalendar;
import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.FieldError;
import dev.rolloutcontroller.domain.Freeze;
import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.PlanEdits;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStateMachine;
import dev.rolloutcontroller.domain.Transition;
import dev.rolloutcontroller.domain.Validated;
import dev.rolloutcontroller.domain.Metric;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.domain.evaluation.EngineAction;
import dev.rolloutcontroller.persistence.AuditLog;
import dev.rolloutcontroller.persistence.BaselineEntity;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.persistence.PlanVersionEntity;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.persistence.RolloutMapping;
import dev.rolloutcontroller.persistence.SignOffEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every change to a rollout, whoever asks: validated, applied under a row lock with the version
 * checked, and audited in the same transaction. Two concurrent actions therefore serialise on the
 * row, and the second sees the first's version.
 *
 * <p>Two ways in: {@link #act} for an operator (the request is validated, start and advance must pass
 * their gates, see {@link GateCheck}) and {@link #applyDecision} for the evaluator (its decision was
 * just judged under the same lock, and nothing an operator's request must satisfy can refuse it).
 * The baseline, captured on an advance or set by hand, is written here too, under the same lock.
 */
@ApplicationScoped
public class RolloutService {

    /** A stored rollout plus what the evaluator last concluded about it, and when it starts if it is scheduled. */
    public record StoredRollout(Rollout rollout, boolean readyToAdvance, Instant startAt) {
    }

    /** A rollout's baseline: metric key → value, who set it ({@code auto} or {@code operator}) and when. */
    public record BaselineView(Map<String, Double> metrics, String source, String step, Instant capturedAt) {
    }

    /** One version of a rollout's plan, as {@code plan_versions} keeps it. */
    public record PlanVersion(int version, PlanSpec plan, Instant changedAt, String changedBy, String reason) {
    }

    /** The outcome of an edit of the plan: the rollout, the plan version now in force, and what changed. */
    public record PlanEdited(StoredRollout stored, int planVersion, List<PlanEdits.Change> changes) {
    }

    /** What a change adds to the audit event's before and after snapshots. */
    private record AuditExtras(Map<String, Object> before, Map<String, Object> after) {
        static final AuditExtras NONE = new AuditExtras(Map.of(), Map.of());
    }

    /** Applied to the locked row once the change is copied onto it; says what the audit event adds. */
    @FunctionalInterface
    private interface OnChange {
        AuditExtras apply(RolloutEntity row, Rollout before, Rollout after);
    }

    /** The audit event type of an edit of the plan; its notification is {@code plan.changed}. */
    public static final String PLAN_CHANGED = "rollout.plan-changed";

    public static final int MAX_DESCRIPTION = 2000;
    /** The longest reason an event stores (the column's size); operators' reasons are refused beyond it. */
    public static final int MAX_REASON = 2000;
    /** How far ahead a start may be scheduled. */
    public static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(366);
    /** The actor the evaluator's changes are recorded under. */
    public static final String EVALUATOR = "evaluator";

    private final AuditLog auditLog;
    private final GateCheck gates;
    private final DeploymentCalendars calendars;
    private final Clock clock;
    private final Event<RolloutChanged> changed;
    private final Event<RolloutActed> acted;

    RolloutService(AuditLog auditLog, GateCheck gates, DeploymentCalendars calendars, Clock clock, Event<RolloutChanged> changed,
                   Event<RolloutActed> acted) {
        this.auditLog = auditLog;
        this.gates = gates;
        this.calendars = calendars;
        this.clock = clock;
        this.changed = changed;
        this.acted = acted;
    }

    @Transactional
    public StoredRollout create(CreateRollout request, String actor) {
        Rollout rollout = validNewRollout(request);
        requireScheduleable(request.startAt());
        if (RolloutEntity.findById(rollout.key()) != null) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, "a rollout with key '" + rollout.key() + "' already exists");
        }
        RolloutEntity row = RolloutMapping.copyOnto(rollout, new RolloutEntity());
        row.startAt = request.startAt();
        row.persistAndFlush();
        PlanVersionEntity.of(rollout.key(), row.planVersion, row.plan, rollout.createdAt(), actor, null).persist();
        auditLog.record(rollout.key(), "rollout.created", actor, null, null, snapshot(rollout), rollout.createdAt());
        if (row.startAt != null) {
            auditLog.record(rollout.key(), "rollout.scheduled", actor, null, null, scheduleState(rollout, row.startAt),
                    rollout.createdAt());
        }
        changed.fire(new RolloutChanged(rollout));
        return new StoredRollout(rollout, false, row.startAt);
    }

    /**
     * Sets, moves or clears (null) a draft's scheduled start. The starting-soon notice goes out again for a
     * new time; the evaluator starts the draft at that time if its entry gates pass and the calendar allows.
     */
    @Transactional
    public StoredRollout schedule(String key, Instant startAt, String reason, Long expectedVersion, String actor) {
        if (reason != null && reason.length() > MAX_REASON) {
            throw ServiceException.invalid("reason", "at most " + MAX_REASON + " characters");
        }
        requireScheduleable(startAt);
        RolloutEntity row = Rollouts.locked(key);
        requireVersion(row, expectedVersion);
        Rollout before = RolloutMapping.toDomain(row);
        if (before.status() != RolloutStatus.DRAFT) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, "only a draft can be scheduled to start; this rollout is "
                    + before.status()).with("currentStatus", before.status().name());
        }
        Instant now = clock.instant();
        Rollout after = withCanary(before, before.canarySessions()); // the next version, as it stands otherwise
        Map<String, Object> previous = scheduleState(before, row.startAt);
        RolloutMapping.copyOnto(after, row);
        row.startAt = startAt;
        row.startingSoonSentAt = null;
        auditLog.record(key, "rollout.scheduled", actor, reason, previous, scheduleState(after, startAt), now);
        changed.fire(new RolloutChanged(after));
        return new StoredRollout(after, row.readyToAdvance, startAt);
    }

    /**
     * The evaluator's scheduled start, in its pass's transaction (which judged the entry gates and the calendar
     * of this version under the row lock).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public StoredRollout startScheduled(String key, long judgedVersion, String reason) {
        StoredRollout result = change(key, judgedVersion, EVALUATOR, clip(reason, MAX_REASON), eventType(Action.START),
                rollout -> transitioned(rollout, Action.START));
        afterAction(result.rollout(), Action.START, EVALUATOR, true);
        return result;
    }

    /**
     * Records {@code rollout.starting-soon} once per scheduled time (inside the evaluator's pass, under its lock);
     * {@code open} names the sign-offs and entry gates still open.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announceStartingSoon(String key, Map<String, Object> open, String reason) {
        RolloutEntity row = Rollouts.locked(key);
        if (row.startAt == null || row.startingSoonSentAt != null) {
            return;
        }
        Instant now = clock.instant();
        row.startingSoonSentAt = now;
        Map<String, Object> state = scheduleState(RolloutMapping.toDomain(row), row.startAt);
        state.putAll(open);
        auditLog.record(key, "rollout.starting-soon", EVALUATOR, clip(reason, MAX_REASON), null, state, now);
    }

    private void requireScheduleable(Instant startAt) {
        if (startAt == null) {
            return;
        }
        Instant now = clock.instant();
        if (!startAt.isAfter(now)) {
            throw ServiceException.invalid("startAt", "must be in the future (now is " + now + ")");
        }
        if (startAt.isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
            throw ServiceException.invalid("startAt", "at most 366 days ahead (until " + now.plus(MAX_SCHEDULE_AHEAD) + ")");
        }
    }

    private static Map<String, Object> scheduleState(Rollout rollout, Instant startAt) {
        Map<String, Object> state = new LinkedHashMap<>(snapshot(rollout));
        state.put("startAt", startAt == null ? null : startAt.toString());
        return state;
    }

    public List<StoredRollout> list() {
        return RolloutEntity.<RolloutEntity>list("order by key").stream()
                .map(row -> new StoredRollout(RolloutMapping.toDomain(row), row.readyToAdvance, row.startAt)).toList();
    }

    public StoredRollout get(String key) {
        RolloutEntity row = RolloutEntity.findById(key);
        if (row == null) {
            throw ServiceException.notFound("rollout '" + key + "'");
        }
        return new StoredRollout(RolloutMapping.toDomain(row), row.readyToAdvance, row.startAt);
    }

    /**
     * An operator's action. Start needs the first step's entry gates to pass and advance every gate of the
     * step and of the next, unless forced with a reason; a breached trigger refuses an advance even then.
     */
    @Transactional
    public StoredRollout act(String key, Action action, Long expectedVersion, String reason, boolean force, String actor) {
        return act(key, action, expectedVersion, reason, force, false, actor);
    }

    /**
     * An operator's action, as {@link #act(String, Action, Long, String, boolean, String)}. Start and advance
     * happen only inside the plan's deployment windows (a forced one may act outside them) and outside every
     * freeze, forced or not, unless {@code overrideFreeze} (an admin's, with a reason: the caller checks the
     * role), which {@code rollout.freeze-overridden} records next to the action's own event.
     */
    @Transactional
    public StoredRollout act(String key, Action action, Long expectedVersion, String reason, boolean force,
                             boolean overrideFreeze, String actor) {
        requireReason(action, reason, force);
        requireOverrideReason(action, reason, overrideFreeze);
        String eventType = force ? "rollout.force-" + eventType(action).substring("rollout.".length()) : eventType(action);
        List<Freeze> overridden = new ArrayList<>();
        StoredRollout result = change(key, expectedVersion, actor, reason, eventType, rollout -> {
            Map<String, Double> leaving = Map.of();
            boolean starts = action == Action.START && rollout.status() == RolloutStatus.DRAFT;
            boolean advances = action == Action.ADVANCE && rollout.status() == RolloutStatus.ACTIVE;
            if (starts || advances) {
                requireCalendarAllows(rollout, force, overrideFreeze).ifPresent(overridden::add);
            }
            if (starts && !force) {
                gates.requireStartGates(rollout);
            } else if (advances) {
                leaving = gates.requireAdvanceGates(rollout, force);
            }
            Rollout after = transitioned(rollout, action);
            captureBaseline(rollout, leaving);
            return after;
        });
        for (Freeze freeze : overridden) {
            Map<String, Object> state = new LinkedHashMap<>(snapshot(result.rollout()));
            state.put("action", action.wireName());
            state.put("overrideFreeze", true);
            state.put("freeze", Map.of("from", freeze.from().toString(), "to", freeze.to().toString(), "reason", freeze.reason()));
            auditLog.record(key, "rollout.freeze-overridden", actor, reason, null, state, clock.instant());
        }
        afterAction(result.rollout(), action, actor, false);
        return result;
    }

    /**
     * Refuses (409, saying until when) a start or advance inside a freeze unless overridden, and outside the
     * deployment windows unless forced; returns the freeze that was overridden, if one was.
     */
    private Optional<Freeze> requireCalendarAllows(Rollout rollout, boolean force, boolean overrideFreeze) {
        Instant now = clock.instant();
        DeploymentCalendar calendar = calendars.of(rollout);
        Optional<Freeze> freeze = calendar.freezeAt(now);
        if (freeze.isPresent() && !overrideFreeze) {
            DeploymentCalendar.Hold hold = new DeploymentCalendar.Frozen(freeze.get());
            throw new ServiceException(ServiceException.Kind.CONFLICT, hold.message()
                    + "; forcing does not pass a freeze, only an admin may override it (overrideFreeze with a reason)")
                    .with("frozenUntil", hold.until().toString())
                    .with("freezeReason", freeze.get().reason());
        }
        if (!force) {
            calendar.windowHold(now).ifPresent(hold -> {
                DeploymentCalendar.OutsideWindows outside = (DeploymentCalendar.OutsideWindows) hold;
                throw new ServiceException(ServiceException.Kind.CONFLICT, hold.message()
                        + "; wait for it, or force with a reason to act outside the windows")
                        .with("nextWindowOpensAt", outside.until().toString())
                        .with("nextWindowOpensAtLocal", outside.until().atZone(outside.zone()).toOffsetDateTime().toString())
                        .with("zone", outside.zone().getId());
            });
        }
        return freeze;
    }

    /**
     * The evaluator's decision, in its pass's transaction (which holds the row lock and judged this
     * version). Nothing an operator's request must satisfy is asked: the gates were just judged, and the
     * reason is the engine's, bounded by construction and clipped again to what an event stores, so no
     * plan text can refuse a rollback, step-back or pause. A state the decision no longer fits (another
     * version, a status that forbids the action) is a failure the evaluator journals and retries.
     *
     * @param baseline on ADVANCE, the figures of the step being left; ignored otherwise
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public StoredRollout applyDecision(String key, EngineAction decision, long judgedVersion, String reason,
                                       Map<String, Double> baseline) {
        String bounded = clip(reason, MAX_REASON);
        Action action = switch (decision) {
            case NONE, MARK_READY -> null;
            case ADVANCE -> Action.ADVANCE;
            case ROLLBACK -> Action.ROLLBACK;
            case STEP_BACK -> Action.STEP_BACK;
            case PAUSE -> Action.PAUSE;
        };
        if (action == null) {
            return readiness(key, judgedVersion, decision == EngineAction.MARK_READY, bounded);
        }
        StoredRollout result = change(key, judgedVersion, EVALUATOR, bounded, eventType(action), rollout -> {
            Rollout after = transitioned(rollout, action);
            if (action == Action.ADVANCE) {
                captureBaseline(rollout, baseline);
            }
            return after;
        });
        afterAction(result.rollout(), action, EVALUATOR, true);
        return result;
    }

    /**
     * Records once when the rollout's current step was reached by most reporting sessions (inside the
     * evaluator's pass, under its lock); returns when that was, or null while it has not been.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Instant recordConvergence(String key, boolean convergedNow, Instant at) {
        RolloutEntity row = Rollouts.locked(key);
        if (row.convergedAt == null && convergedNow) {
            row.convergedAt = at;
        }
        return row.convergedAt;
    }

    /** Sets baseline figures by hand, merged into the current baseline, under the row lock. */
    @Transactional
    public BaselineView setBaseline(String key, Map<String, Double> metrics, String actor) {
        Rollouts.locked(key);
        Map<String, Double> valid = validBaseline(metrics);
        BaselineEntity existing = BaselineEntity.findById(key);
        Map<String, Object> before = existing == null ? null : Map.of("metrics", existing.metrics);
        BaselineEntity saved = mergeBaseline(key, valid, "operator", existing == null ? null : existing.step);
        auditLog.record(key, "baseline.set", actor, null, before, Map.of("metrics", saved.metrics), saved.capturedAt);
        return view(saved);
    }

    /** Empty when none was captured or set yet; 404 for an unknown rollout. */
    public Optional<BaselineView> baseline(String key) {
        Rollouts.existing(key);
        return Optional.ofNullable(BaselineEntity.<BaselineEntity>findById(key)).map(RolloutService::view);
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

    /**
     * Replaces the plan of a rollout under way, as {@link PlanEdits#violations} allows: steps left and the
     * current step's name, percentage and shadow flag stay. The step clock ({@code stepEnteredAt}) is kept, so
     * a running soak keeps its start and a shorter one can pass at the next evaluation. A new plan version is
     * stored and the rollout's version goes up (the If-Match of everyone who read the old plan fails, and flag
     * readers see a new version with the same decisions, as after a canary edit). An identical plan changes
     * nothing. If-Match is required: a plan is edited on purpose, knowing the version it replaces.
     */
    @Transactional
    public PlanEdited changePlan(String key, PlanSpec spec, String reason, Long expectedVersion, String actor) {
        if (expectedVersion == null) {
            throw new ServiceException(ServiceException.Kind.PRECONDITION_REQUIRED,
                    "If-Match is required to change a plan: send the ETag of the rollout you read, e.g. \"3\"");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw ServiceException.invalid("reason", "at most " + MAX_REASON + " characters");
        }
        Plan plan = validPlan(spec);
        List<PlanEdits.Change> changes = new ArrayList<>();
        StoredRollout stored = change(key, expectedVersion, actor, reason, PLAN_CHANGED, rollout -> {
            requireEditable(rollout, plan);
            changes.addAll(PlanEdits.diff(PlanSpecs.fromPlan(rollout.plan()), PlanSpecs.fromPlan(plan), "plan"));
            return changes.isEmpty() ? rollout : withPlan(rollout, plan);
        }, (row, before, after) -> {
            row.planVersion++;
            PlanVersionEntity.of(key, row.planVersion, row.plan, after.updatedAt(), actor, reason).persist();
            Map<String, Object> afterExtras = new LinkedHashMap<>();
            afterExtras.put("planVersion", row.planVersion);
            afterExtras.put("changes", PlanEdits.describe(changes));
            if (changes.size() > PlanEdits.MAX_CHANGES) {
                afterExtras.put("changesNotListed", changes.size() - PlanEdits.MAX_CHANGES);
            }
            return new AuditExtras(Map.of("planVersion", row.planVersion - 1), afterExtras);
        });
        // The row is the locked one of this transaction, with the version the change just set.
        return new PlanEdited(stored, Rollouts.existing(key).planVersion, List.copyOf(changes));
    }

    /** What {@link #changePlan} would refuse, refused the same way, without changing anything (for a dry run). */
    public void checkPlanChange(String key, PlanSpec spec) {
        requireEditable(RolloutMapping.toDomain(Rollouts.existing(key)), validPlan(spec));
    }

    private static void requireEditable(Rollout rollout, Plan plan) {
        List<FieldError> violations = PlanEdits.violations(rollout, plan, "plan");
        if (!violations.isEmpty()) {
            throw ServiceException.invalid(violations);
        }
    }

    /** The versions of a rollout's plan, newest first, at most {@code limit}. */
    public List<PlanVersion> planHistory(String key, int limit) {
        Rollouts.existing(key);
        return PlanVersionEntity.<PlanVersionEntity>find("rolloutKey = ?1 order by version desc", key).page(0, limit).list()
                .stream().map(RolloutService::view).toList();
    }

    /** A submitted plan as the domain's, or a 400 naming every invalid field under {@code plan}. */
    public static Plan validPlan(PlanSpec spec) {
        if (spec == null) {
            throw ServiceException.invalid("plan", "required: the whole plan, with steps and triggers");
        }
        Validated<Plan> result = PlanSpecs.toPlan(spec, "plan");
        if (result instanceof Validated.Invalid<Plan> invalid) {
            throw ServiceException.invalid(invalid.errors());
        }
        return ((Validated.Valid<Plan>) result).value();
    }

    private static PlanVersion view(PlanVersionEntity entity) {
        return new PlanVersion(entity.version, entity.plan, entity.changedAt, entity.changedBy, entity.reason);
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
        return change(key, expectedVersion, actor, reason, eventType, change, (row, before, after) -> AuditExtras.NONE);
    }

    private StoredRollout change(String key, Long expectedVersion, String actor, String reason, String eventType,
                                 UnaryOperator<Rollout> change, OnChange onChange) {
        RolloutEntity row = Rollouts.locked(key);
        requireVersion(row, expectedVersion);
        Rollout before = RolloutMapping.toDomain(row);
        Rollout after = change.apply(before);
        if (after == before) {
            return new StoredRollout(before, row.readyToAdvance, row.startAt);
        }
        RolloutMapping.copyOnto(after, row);
        row.readyToAdvance = false;
        row.convergedAt = null;
        if (after.status() != RolloutStatus.DRAFT) {
            // Started, by hand or by the evaluator: the schedule is done.
            row.startAt = null;
            row.startingSoonSentAt = null;
        }
        AuditExtras extras = onChange.apply(row, before, after);
        Map<String, Object> beforeState = new LinkedHashMap<>(snapshot(before));
        beforeState.putAll(extras.before());
        Map<String, Object> afterState = new LinkedHashMap<>(snapshot(after));
        afterState.putAll(extras.after());
        auditLog.record(key, eventType, actor, reason, beforeState, afterState, after.updatedAt());
        changed.fire(new RolloutChanged(after));
        return new StoredRollout(after, false, row.startAt);
    }

    private static void requireVersion(RolloutEntity row, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != row.version) {
            throw new ServiceException(ServiceException.Kind.PRECONDITION_FAILED,
                    "If-Match names version " + expectedVersion + " but the rollout is at version " + row.version)
                    .with("currentVersion", row.version);
        }
    }

    private Rollout withCanary(Rollout rollout, List<String> sessions) {
        Instant now = clock.instant();
        return new Rollout(rollout.key(), rollout.description(), rollout.status(), rollout.stepIndex(), rollout.plan(),
                sessions, rollout.autoAdvance(), rollout.version() + 1, rollout.createdAt(), now,
                rollout.stepEnteredAt(), rollout.env(), rollout.stickinessGroup());
    }

    /** The same rollout under another plan: a new version, the step and its clock unchanged. */
    private Rollout withPlan(Rollout rollout, Plan plan) {
        return new Rollout(rollout.key(), rollout.description(), rollout.status(), rollout.stepIndex(), plan,
                rollout.canarySessions(), rollout.autoAdvance(), rollout.version() + 1, rollout.createdAt(), clock.instant(),
                rollout.stepEnteredAt(), rollout.env(), rollout.stickinessGroup());
    }

    private Rollout transitioned(Rollout rollout, Action action) {
        Transition transition = RolloutStateMachine.apply(rollout, action, clock.instant());
        if (transition instanceof Transition.Rejected rejected) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, rejected.message())
                    .with("currentStatus", rejected.status().name())
                    .with("allowedActions", rejected.allowed().stream().map(Action::wireName).sorted().toList());
        }
        return ((Transition.Applied) transition).rollout();
    }

    /** Going back means passing those steps' gates again: their approvals must be given anew. */
    private void afterAction(Rollout after, Action action, String actor, boolean automatic) {
        switch (action) {
            case STEP_BACK -> withdrawSignOffs(after, after.stepIndex(), actor);
            case ROLLBACK, RESTART -> withdrawSignOffs(after, 0, actor);
            default -> {
            }
        }
        acted.fire(new RolloutActed(after.key(), action.name().toLowerCase(Locale.ROOT), automatic));
    }

    private void withdrawSignOffs(Rollout rollout, int fromStepIndex, String actor) {
        List<String> steps = rollout.plan().steps().subList(fromStepIndex, rollout.plan().steps().size())
                .stream().map(Step::name).toList();
        SignOffEntity.update("withdrawnAt = ?1, withdrawnBy = ?2 where rolloutKey = ?3 and withdrawnAt is null and step in ?4",
                clock.instant(), actor, rollout.key(), steps);
    }

    /** MARK_READY says so once (an event, hence a notification); any other outcome clears the mark. */
    private StoredRollout readiness(String key, long judgedVersion, boolean ready, String reason) {
        RolloutEntity row = Rollouts.locked(key);
        requireVersion(row, judgedVersion);
        Rollout rollout = RolloutMapping.toDomain(row);
        if (ready && !row.readyToAdvance) {
            row.readyToAdvance = true;
            auditLog.record(key, "rollout.ready-to-advance", EVALUATOR, reason, null, snapshot(rollout), clock.instant());
            acted.fire(new RolloutActed(key, "mark_ready", true));
        } else if (!ready) {
            row.readyToAdvance = false;
        }
        return new StoredRollout(rollout, row.readyToAdvance, row.startAt);
    }

    /** The new path's figures of the step being left become the baseline of the next one. */
    private void captureBaseline(Rollout leaving, Map<String, Double> values) {
        if (!values.isEmpty()) {
            mergeBaseline(leaving.key(), values, "auto", leaving.currentStep().name());
        }
    }

    private BaselineEntity mergeBaseline(String key, Map<String, Double> values, String source, String step) {
        BaselineEntity baseline = BaselineEntity.findById(key);
        if (baseline == null) {
            baseline = new BaselineEntity();
            baseline.rolloutKey = key;
            baseline.metrics = new LinkedHashMap<>();
        }
        Map<String, Double> merged = new LinkedHashMap<>(baseline.metrics);
        merged.putAll(values);
        baseline.metrics = merged;
        baseline.source = source;
        baseline.step = step;
        baseline.capturedAt = clock.instant();
        baseline.persist();
        return baseline;
    }

    private static BaselineView view(BaselineEntity baseline) {
        return new BaselineView(baseline.metrics, baseline.source, baseline.step, baseline.capturedAt);
    }

    private static Map<String, Double> validBaseline(Map<String, Double> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            throw ServiceException.invalid("metrics", "required: e.g. {\"cycle_time_p95_ms\": 42.0}");
        }
        List<FieldError> errors = new ArrayList<>();
        metrics.forEach((metric, value) -> {
            String[] parts = metric.split(":", 2);
            Optional<Metric> known = Metric.fromWireName(parts[0]);
            boolean valid = known.isPresent() && (parts.length == 1
                    || (known.get() == Metric.SHADOW_MISMATCH_RATE && Vocabulary.SHADOW_CATEGORIES.contains(parts[1])));
            if (!valid) {
                errors.add(new FieldError("metrics." + metric,
                        "unknown metric; one of " + Vocabulary.METRICS + " (shadow_mismatch_rate:<category>)"));
            } else if (value == null || !Double.isFinite(value) || value < 0) {
                errors.add(new FieldError("metrics." + metric, "must be a number >= 0"));
            }
        });
        if (!errors.isEmpty()) {
            throw ServiceException.invalid(errors);
        }
        return metrics;
    }

    /** At most {@code max} characters, ending in an ellipsis when cut. */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
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

    private static void requireOverrideReason(Action action, String reason, boolean overrideFreeze) {
        if (!overrideFreeze) {
            return;
        }
        if (action != Action.ADVANCE && action != Action.START) {
            throw ServiceException.invalid("overrideFreeze", "only start and advance are held by a freeze");
        }
        if (reason == null || reason.isBlank()) {
            throw ServiceException.invalid("reason", "overriding a freeze needs a reason: say why this cannot wait");
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
