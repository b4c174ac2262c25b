package dev.rolloutcontroller.domain;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How an observed value is compared with a limit; {@link #symbol()} is the canonical wire form. */
public enum Comparison {
    LT("<", "lt"),
    LE("<=", "≤", "le"),
    GT(">", "gt"),
    GE(">=", "≥", "ge"),
    EQ("=", "==", "eq");

    private final String symbol;
    private final List<String> spellings;

    Comparison(String symbol, String... otherSpellings) {
        this.symbol = symbol;
        this.spellings = List.of(otherSpellings);
    }

    public String symbol() {
        return symbol;
    }

    /** Accepts the symbol, the Unicode or doubled form ({@code ≤ ≥ ==}) and the two-letter word (any case). */
    public static Optional<Comparison> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (Comparison comparison : values()) {
            if (comparison.symbol.equals(lower) || comparison.spellings.contains(lower)) {
                return Optional.of(comparison);
            }
        }
        return Optional.empty();
    }

    /** NaN never satisfies a comparison, so a broken aggregate can neither pass a gate nor fire a trigger. */
    public boolean test(double observed, double threshold) {
        return switch (this) {
            case LT -> observed < threshold;
            case LE -> observed <= threshold;
            case GT -> observed > threshold;
            case GE -> observed >= threshold;
            case EQ -> observed == threshold;
        };
    }
}
