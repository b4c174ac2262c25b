package dev.rolloutcontroller.domain.evaluation;

import java.time.Instant;
import java.util.Objects;

/** The latest result of one smoke check. */
public record SmokeResult(String check, boolean passed, Instant at) {

    public SmokeResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(at, "at");
    }
}
