package dev.rolloutcontroller.domain;

import java.util.List;

/** The outcome of validating input: a value, or every problem found (never just the first). */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {

    record Valid<T>(T value) implements Validated<T> {
    }

    record Invalid<T>(List<FieldError> errors) implements Validated<T> {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid result names at least one error");
            }
        }
    }
}
