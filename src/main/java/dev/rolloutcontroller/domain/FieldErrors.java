package dev.rolloutcontroller.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every validation problem of one input, so a caller can fix them all in one round trip. */
final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    /** A mark to compare with later: a part is valid when {@link #count()} has not grown since. */
    int count() {
        return errors.size();
    }

    /** Builds the value only when nothing was wrong, since a builder may rely on validated parts. */
    <T> Validated<T> result(Supplier<T> value) {
        return errors.isEmpty() ? new Validated.Valid<>(value.get()) : new Validated.Invalid<>(errors);
    }

    static String field(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    static String index(String field, int index) {
        return field + "[" + index + "]";
    }

    /** "one of: a, b, c" — the allowed values every message about a closed vocabulary names. */
    static String oneOf(List<String> allowed) {
        return "one of: " + String.join(", ", allowed);
    }
}
