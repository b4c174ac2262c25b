package dev.rolloutcontroller.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The values the console's templates render; every string is escaped by Qute when shown. */
public final class Views {

    private Views() {
    }

    /** The frame of every page: who is signed in, the CSRF token for its forms. */
    public record Layout(String title, String user, String roles, String csrf, boolean signedIn, boolean admin) {
    }

    /** A field error, linked from the error summary at the top to the field it names. */
    public record FieldProblem(String field, String message) {
        /** The form fields the pages have; a refusal naming anything else links to the top of the page. */
        static final java.util.Set<String> FIELDS = java.util.Set.of("key", "description", "shadowStep", "canarySessions",
                "plan", "reason", "confirm-rollback", "sessions", "name");

        public String anchor() {
            return FIELDS.contains(field) ? "field-" + field : "main";
        }
    }

    /** One row of the rollout list. */
    public record RolloutRow(String key, String description, String status, String step, int percentage,
                             String timeInStep, int gatesPassed, int gatesTotal, String lastDecision, long sessionsOnNew) {
    }

    /** What the "New rollout" form was filled with, to show it again beside its errors. */
    public record NewRolloutForm(String key, String description, boolean shadowStep, String canarySessions, String plan) {
        static final NewRolloutForm EMPTY = new NewRolloutForm("", "", false, "", "");
    }

    public record ListPage(List<RolloutRow> rollouts, boolean canCreate, NewRolloutForm form, List<FieldProblem> errors) {
        public String errorFor(String field) {
            return Views.errorFor(errors, field);
        }
    }

    /** One step of the phase line. {@code state}: done, current or ahead (said in words as well as drawn). */
    public record Phase(String name, int percentage, String state, boolean shadow) {
        public String label() {
            return shadow ? name + " (shadow)" : name + " " + percentage + "%";
        }
    }

    /** The items of one section of a checklist ("Before leaving canary", "Rollback triggers"), in plan order. */
    public record ChecklistSection(String title, List<ChecklistItem> items) {

        static List<ChecklistSection> of(List<ChecklistItem> items) {
            Map<String, List<ChecklistItem>> bySection = new LinkedHashMap<>();
            items.forEach(item -> bySection.computeIfAbsent(item.section(), k -> new ArrayList<>()).add(item));
            return bySection.entrySet().stream().map(e -> new ChecklistSection(e.getKey(), List.copyOf(e.getValue()))).toList();
        }
    }

    public record SignOffRow(long id, String step, String role, String description, boolean signed, String actor,
                             String signedAt, String comment, boolean canSign, boolean canWithdraw) {
    }

    /** An action button: enabled only when the status allows it and the token's role permits it. */
    public record ActionButton(String wireName, String label, boolean enabled, boolean reasonRequired, boolean forceable,
                               String why) {
    }

    public record SmokeLine(String check, String result, String at) {
    }

    public record ShadowLine(String category, long comparisons, long mismatches, String rate) {
    }

    public record Fleet(long sessionsNew, long sessionsLegacy, long reporting, long onCurrentVersion, String convergedShare,
                        List<String> canarySessions, String canaryText, boolean canEditCanary, List<SmokeLine> smoke,
                        List<ShadowLine> shadow) {
    }

    /** One line of the timeline: an audit event or a decision of the evaluator. */
    public record TimelineEntry(String at, String iso, String source, String what, String actor, String reason, String change) {
    }

    /** {@code before}: the cursor this page was asked for (empty for the newest); {@code olderCursor}: the next one. */
    public record Timeline(List<TimelineEntry> entries, String before, String olderCursor) {
    }

    public record RolloutPage(String key, String description, String status, long version, List<Phase> phases,
                              String step, int percentage, String soakProgress, int soakPercent, String soakLeft,
                              String wouldDo, String lastEvaluated, List<ChecklistSection> checklist,
                              List<SignOffRow> signOffs, List<ActionButton> actions, boolean operator, Fleet fleet,
                              Timeline timeline, List<FieldProblem> errors, String chartThresholds) {
        public String errorFor(String field) {
            return Views.errorFor(errors, field);
        }
    }

    /** The messages of the errors naming a field, for the line next to it; empty when it has none. */
    static String errorFor(List<FieldProblem> errors, String field) {
        return errors.stream().filter(e -> e.field().equals(field)).map(FieldProblem::message)
                .reduce((a, b) -> a + "; " + b).orElse("");
    }
}
