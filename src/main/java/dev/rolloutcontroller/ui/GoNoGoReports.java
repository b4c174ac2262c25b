package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import dev.rolloutcontroller.domain.evaluation.Decision;
import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.evaluator.SignOffService;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.EventEntity;
import dev.rolloutcontroller.service.RolloutService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The Go/No-Go report: one model, rendered as a printable page and as Markdown for a change ticket.
 * Each step so far with its checklist (the current step as judged now, earlier ones as the evaluator
 * last judged them), every sign-off, the decisions taken, and the line the checklist ends with.
 */
@ApplicationScoped
class GoNoGoReports {

    static final int MAX_DECISIONS = 500;

    public record ReportStep(String name, int percentage, String state, List<Views.ChecklistSection> checklist) {
    }

    public record SignOffLine(String role, String step, String name, String at, String comment, String withdrawn) {
    }

    public record DecisionLine(String at, String what, String actor, String reason, String change) {
    }

    public record Report(String key, String description, String status, String step, int percentage, String generatedAt,
                         List<ReportStep> steps, List<SignOffLine> signOffs, List<DecisionLine> decisions, String verdict,
                         String verdictReason, String finalApproval, String date, String deploymentWindow) {
    }

    private final RolloutService rollouts;
    private final RolloutEvaluator evaluator;
    private final SignOffService signOffs;
    private final Clock clock;

    GoNoGoReports(RolloutService rollouts, RolloutEvaluator evaluator, SignOffService signOffs, Clock clock) {
        this.rollouts = rollouts;
        this.evaluator = evaluator;
        this.signOffs = signOffs;
        this.clock = clock;
    }

    @Transactional
    public Report report(String key) {
        Rollout rollout = rollouts.get(key).rollout();
        Instant now = clock.instant();
        List<ReportStep> steps = new ArrayList<>();
        List<ChecklistItem> currentItems = new ArrayList<>();
        int last = rollout.status() == RolloutStatus.COMPLETED ? rollout.plan().lastStepIndex() : rollout.stepIndex();
        for (int i = 0; i <= last; i++) {
            Step step = rollout.plan().steps().get(i);
            boolean current = i == rollout.stepIndex();
            List<ChecklistItem> items;
            String state;
            if (current && rollout.status() == RolloutStatus.DRAFT) {
                items = Checklists.startGates(rollout, signOffs.activeByStep(key));
                state = "not started";
            } else if (current && (rollout.status() == RolloutStatus.ACTIVE || rollout.status() == RolloutStatus.PAUSED)) {
                Decision decision = evaluator.preview(rollout);
                items = new ArrayList<>(Checklists.gates(rollout.plan(), decision.exitGates(), "Before leaving " + step.name()));
                items.addAll(Checklists.triggers(rollout.plan(), decision.triggers()));
                state = "current (" + rollout.status() + ")";
            } else {
                items = lastJudged(rollout, step);
                state = current && rollout.status() == RolloutStatus.ROLLED_BACK ? "rolled back during this step" : "passed";
            }
            if (current) {
                currentItems = items;
            }
            steps.add(new ReportStep(step.name(), step.percentage(), state, Views.ChecklistSection.of(items)));
        }
        List<SignOffLine> signOffLines = signOffs.list(key).stream().map(s -> new SignOffLine(s.role(), s.step(), s.actor(),
                Figures.time(s.signedAt()), s.comment() == null ? "" : s.comment(),
                s.withdrawnAt() == null ? "" : "withdrawn " + Figures.time(s.withdrawnAt()) + " by " + s.withdrawnBy())).toList();
        List<EventEntity> events = EventEntity.find("rolloutKey = ?1 order by id", key).page(0, MAX_DECISIONS).list();
        List<DecisionLine> decisions = events.stream().filter(e -> !e.type.startsWith("sign-off."))
                .map(e -> new DecisionLine(Figures.time(e.occurredAt), ConsoleViews.eventWords(e.type), e.actor,
                        e.reason == null ? "" : e.reason, change(e))).toList();
        long failing = currentItems.stream().filter(i -> i.verdict().equals("failing") || i.verdict().equals("breached")).count();
        long pending = currentItems.stream().filter(i -> i.verdict().equals("pending")).count();
        String verdict;
        String reason;
        if (rollout.status() == RolloutStatus.COMPLETED) {
            verdict = "Go";
            reason = "All checklist items completed: the rollout reached " + rollout.currentStep().name() + " and completed.";
        } else if (rollout.status() == RolloutStatus.ROLLED_BACK) {
            verdict = "No-Go";
            reason = "Rolled back at " + rollout.currentStep().name() + ".";
        } else if (failing > 0) {
            verdict = "No-Go";
            reason = "Critical items failed: " + failing + " item(s) failing or breached in step " + rollout.currentStep().name() + ".";
        } else if (pending > 0) {
            verdict = "Not yet";
            reason = pending + " item(s) of step " + rollout.currentStep().name() + " still pending.";
        } else {
            verdict = "Go";
            reason = "All checklist items of step " + rollout.currentStep().name() + " completed.";
        }
        Optional<SignOffService.SignOffView> lastApproval = signOffs.list(key).stream().filter(s -> s.withdrawnAt() == null)
                .max(Comparator.comparing(SignOffService.SignOffView::signedAt));
        String approval = lastApproval.map(s -> s.actor() + " (" + s.role() + ", " + s.step() + ")").orElse("none yet");
        return new Report(key, rollout.description(), rollout.status().name(), rollout.currentStep().name(), rollout.percentage(),
                Figures.time(now), steps, signOffLines, decisions, verdict, reason, approval,
                lastApproval.map(s -> Figures.time(s.signedAt())).orElse(Figures.time(now)), window(events, rollout));
    }

    /** An earlier step as the evaluator last judged it there; its items unjudged when no pass was recorded. */
    private static List<ChecklistItem> lastJudged(Rollout rollout, Step step) {
        Optional<EvaluationEntity> judged = EvaluationEntity.find("rolloutKey = ?1 and step = ?2 order by id desc",
                rollout.key(), step.name()).firstResultOptional();
        if (judged.isEmpty()) {
            return Checklists.unjudged(step);
        }
        List<ChecklistItem> items = new ArrayList<>(Checklists.gates(rollout.plan(), judged.get().exitGates, "Before leaving " + step.name()));
        items.addAll(Checklists.triggers(rollout.plan(), judged.get().triggers));
        return items;
    }

    private static String window(List<EventEntity> events, Rollout rollout) {
        Optional<Instant> started = events.stream().filter(e -> e.type.endsWith("started") && !e.type.endsWith("restarted"))
                .map(e -> e.occurredAt).reduce((a, b) -> b);
        if (started.isEmpty()) {
            return "not started";
        }
        String from = Figures.time(started.get());
        return switch (rollout.status()) {
            case COMPLETED, ROLLED_BACK -> from + " to " + Figures.time(rollout.updatedAt());
            default -> from + " onwards (in progress)";
        };
    }

    private static String change(EventEntity e) {
        if (e.before == null || e.after == null) {
            return "";
        }
        return e.before.get("status") + " " + e.before.get("step") + " → " + e.after.get("status") + " " + e.after.get("step")
                + " " + e.after.get("percentage") + "%";
    }
}
