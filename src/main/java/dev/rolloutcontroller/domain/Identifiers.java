package dev.rolloutcontroller.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Rules for the names operators and daemons send: rollout keys and session ids. */
public final class Identifiers {

    public static final int MAX_CANARY_SESSIONS = 10_000;
    static final int MAX_SESSION_ID_LENGTH = 128;

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /**
     * Separators (spaces, line breaks) and other invisible characters (controls, formatting, private
     * use, unassigned, lone surrogates), as bits {@code 1 << Character.getType}: the general categories
     * Z and C, what the regex {@code [\p{C}\p{Z}]} matched. A session id must read the same in a log,
     * a shell and a URL. Checked by hand because every flag read checks its session id (decision 0017).
     */
    private static final int INVISIBLE_TYPES = 1 << Character.SPACE_SEPARATOR | 1 << Character.LINE_SEPARATOR
            | 1 << Character.PARAGRAPH_SEPARATOR | 1 << Character.CONTROL | 1 << Character.FORMAT
            | 1 << Character.PRIVATE_USE | 1 << Character.SURROGATE | 1 << Character.UNASSIGNED;

    private Identifiers() {
    }

    /** A slug: lowercase letters, digits and '-', starting with a letter or digit, 1–63 characters. */
    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** What is wrong with a session id, in words an operator can act on; empty when it is fine. */
    public static Optional<String> sessionIdProblem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("a session id must be 1 to " + MAX_SESSION_ID_LENGTH + " characters (got none)");
        }
        // An id within the limit in chars is within it in code points too; only a longer one is counted.
        if (id.length() > MAX_SESSION_ID_LENGTH) {
            int length = id.codePointCount(0, id.length());
            if (length > MAX_SESSION_ID_LENGTH) {
                return Optional.of("a session id must be at most " + MAX_SESSION_ID_LENGTH + " characters (got " + length + ")");
            }
        }
        if (id.indexOf(',') >= 0) {
            return Optional.of("a session id must not contain a comma: commas separate the ids in CANARY_SESSIONS");
        }
        for (int index = 0, position = 0; index < id.length(); position++) {
            int codePoint = id.codePointAt(index);
            if ((INVISIBLE_TYPES & 1 << Character.getType(codePoint)) != 0) {
                return Optional.of(String.format(Locale.ROOT,
                        "a session id must not contain whitespace or invisible characters (U+%04X at position %d)", codePoint, position));
            }
            index += Character.charCount(codePoint);
        }
        return Optional.empty();
    }

    /**
     * Validates a whole canary list, naming each bad id by index; duplicates are dropped keeping the
     * first occurrence, and the limit counts distinct ids.
     */
    public static Validated<List<String>> canaryList(List<String> ids, String field) {
        FieldErrors errors = new FieldErrors();
        if (ids == null) {
            errors.add(field, "required: a list of session ids (it may be empty)");
            return errors.result(List::of);
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String at = FieldErrors.index(field, i);
            sessionIdProblem(id).ifPresentOrElse(problem -> errors.add(at, problem), () -> distinct.add(id));
        }
        if (distinct.size() > MAX_CANARY_SESSIONS) {
            errors.add(field, "at most " + MAX_CANARY_SESSIONS + " distinct session ids (got " + distinct.size() + ")");
        }
        return errors.result(() -> List.copyOf(distinct));
    }
}
