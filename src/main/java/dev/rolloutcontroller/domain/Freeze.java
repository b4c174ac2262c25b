package dev.rolloutcontroller.domain;

import java.time.Instant;
import java.util.Objects;

/** An absolute period in which nothing starts or advances, whatever windows say, with the reason people are told. */
public record Freeze(Instant from, Instant to, String reason) {

    public Freeze {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("a freeze ends after it begins");
        }
    }

    /** Whether {@code now} is inside the freeze ({@code from} included, {@code to} excluded). */
    public boolean isActive(Instant now) {
        return !now.isBefore(from) && now.isBefore(to);
    }
}
