package dev.rolloutcontroller.ui;

/**
 * One line of a step's checklist: a gate or a rollback trigger with its verdict in words
 * (passed, pending, failing, breached), never by colour alone: {@code symbol} and {@code verdict}
 * say it, {@code css} only decorates.
 *
 * @param section   "Before entering …", "Before leaving …" or "Rollback triggers"
 * @param bound     for rates: the 95% Wilson bound the verdict rests on, e.g. "upper 0.210%"; else empty
 */
public record ChecklistItem(String section, String description, String kind, String verdict, String symbol, String css,
                            String value, String threshold, String samples, String bound, String detail) {

    static ChecklistItem of(String section, String description, String kind, String verdict, String value, String threshold,
                            String samples, String bound, String detail) {
        String symbol = switch (verdict) {
            case "passed" -> "✓";
            case "failing" -> "✗";
            case "breached" -> "⚠";
            default -> "…";
        };
        return new ChecklistItem(section, description, kind, verdict, symbol, "verdict-" + verdict, value, threshold,
                samples, bound, detail);
    }

    boolean passed() {
        return verdict.equals("passed");
    }
}
