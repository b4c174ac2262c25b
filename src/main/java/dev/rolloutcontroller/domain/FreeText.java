package dev.rolloutcontroller.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The rule for every piece of text a client sends: no control characters. PostgreSQL cannot store
 * NUL at all, and the other controls (escape sequences, backspace, bell) rewrite what an operator
 * sees in a terminal or a log. Only the fields written as prose keep line breaks and tabs.
 */
public final class FreeText {

    /** The members whose text may span several lines; every other string is a single line. */
    public static final Set<String> MULTI_LINE_FIELDS = Set.of("reason", "description", "comment");

    private FreeText() {
    }

    public static boolean isMultiLine(String field) {
        return field != null && MULTI_LINE_FIELDS.contains(field);
    }

    /** What is wrong with a text, in words a client can act on; empty when it is fine (null is fine). */
    public static Optional<String> problem(String text, boolean multiLine) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) != Character.CONTROL || multiLine && (c == '\n' || c == '\r' || c == '\t')) {
                continue;
            }
            String allowed = multiLine ? "only line breaks and tabs are allowed" : "a single line of text is expected";
            return Optional.of(String.format(Locale.ROOT,
                    "must not contain control characters (U+%04X at position %d); %s", (int) c, i, allowed));
        }
        return Optional.empty();
    }
}
