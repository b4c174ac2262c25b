package dev.rolloutcontroller.domain;

import java.util.Map;
import java.util.regex.Pattern;

/** Renders values so a POSIX shell's {@code eval} assigns them verbatim and never runs any of them. */
public final class ShellQuoting {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ShellQuoting() {
    }

    /**
     * Inside single quotes nothing is special except the closing quote, so each {@code '} becomes
     * {@code '\''}: close, an escaped quote, reopen.
     *
     * @throws IllegalArgumentException for a NUL character, which no shell string can hold
     */
    public static String singleQuote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell value cannot contain a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * One {@code NAME='value'} line per entry, in the map's order.
     *
     * @throws IllegalArgumentException for a name a shell would not take as a variable name
     */
    public static String envLines(Map<String, String> variables) {
        StringBuilder lines = new StringBuilder();
        variables.forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a shell variable name: " + name);
            }
            lines.append(name).append('=').append(singleQuote(value)).append('\n');
        });
        return lines.toString();
    }
}
