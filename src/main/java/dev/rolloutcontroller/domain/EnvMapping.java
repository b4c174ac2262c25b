package dev.rolloutcontroller.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The legacy environment variable names a rollout is exported as: {@code envPrefix + flagVariable}
 * and {@code envPrefix + CANARY_SESSIONS | ROLLOUT_PERCENTAGE | SHADOW_MODE}. The names are
 * restricted to what a shell accepts unquoted, because they are emitted as {@code NAME='value'} lines.
 */
public record EnvMapping(String envPrefix, String flagVariable) {

    /** Empty, or up to 64 of {@code [A-Z0-9_]} not starting with a digit. */
    static final Pattern ENV_PREFIX = Pattern.compile("([A-Z_][A-Z0-9_]{0,63})?");
    static final Pattern FLAG_VARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");

    // Declared after the patterns: the constructor validates with them during class initialisation.
    /** The names the checklist exported by hand. */
    public static final EnvMapping DEFAULT = new EnvMapping("TMUX_ORCHESTRATOR_", "USE_MODULAR_MONITOR");

    public EnvMapping {
        Objects.requireNonNull(envPrefix, "envPrefix");
        Objects.requireNonNull(flagVariable, "flagVariable");
        if (!ENV_PREFIX.matcher(envPrefix).matches() || !FLAG_VARIABLE.matcher(flagVariable).matches()) {
            throw new IllegalArgumentException("not valid environment variable names: " + envPrefix + ", " + flagVariable);
        }
    }

    /**
     * Validates operator input; a null field takes the {@link #DEFAULT} value.
     *
     * @param fieldPrefix where the two fields sit in the request (empty at the top level)
     */
    public static Validated<EnvMapping> of(String envPrefix, String flagVariable, String fieldPrefix) {
        String prefix = envPrefix == null ? DEFAULT.envPrefix : envPrefix;
        String flag = flagVariable == null ? DEFAULT.flagVariable : flagVariable;
        FieldErrors errors = new FieldErrors();
        if (!ENV_PREFIX.matcher(prefix).matches()) {
            errors.add(FieldErrors.field(fieldPrefix, "envPrefix"),
                    "must be empty or up to 64 of A-Z, 0-9 and _, not starting with a digit (got '" + prefix + "')");
        }
        if (!FLAG_VARIABLE.matcher(flag).matches()) {
            errors.add(FieldErrors.field(fieldPrefix, "flagVariable"),
                    "must be 1 to 64 of A-Z, 0-9 and _, not starting with a digit (got '" + flag + "')");
        }
        return errors.result(() -> new EnvMapping(prefix, flag));
    }

    public String flagVar() {
        return envPrefix + flagVariable;
    }

    public String canaryVar() {
        return envPrefix + "CANARY_SESSIONS";
    }

    public String percentageVar() {
        return envPrefix + "ROLLOUT_PERCENTAGE";
    }

    public String shadowVar() {
        return envPrefix + "SHADOW_MODE";
    }
}
