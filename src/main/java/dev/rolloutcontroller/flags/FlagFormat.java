package dev.rolloutcontroller.flags;

import java.util.Optional;

/** The two representations of a rollout's flags: JSON, or {@code NAME='value'} lines for a shell. */
enum FlagFormat {
    JSON('j'),
    ENV('e');

    static final String TEXT_PLAIN_UTF8 = "text/plain;charset=UTF-8";

    /** Part of the ETag, so the two representations of one URL never share a tag. */
    final char tagChar;

    FlagFormat(char tagChar) {
        this.tagChar = tagChar;
    }

    /**
     * {@code ?format=env|json} wins; otherwise the Accept header decides, and JSON is chosen unless
     * text/plain is preferred outright (a higher q than JSON). Empty for an unknown format.
     */
    static Optional<FlagFormat> choose(String format, String accept) {
        if (format != null) {
            return switch (format) {
                case "env" -> Optional.of(ENV);
                case "json" -> Optional.of(JSON);
                default -> Optional.empty();
            };
        }
        if (accept == null || accept.equals("*/*") || accept.equals("application/json")) {
            return Optional.of(JSON);
        }
        // What shell daemons send on every poll; weighing it below would come to the same answer.
        if (accept.equals("text/plain")) {
            return Optional.of(ENV);
        }
        return Optional.of(quality(accept, "text", "plain") > quality(accept, "application", "json") ? ENV : JSON);
    }

    /**
     * The q of the most specific media range that covers {@code type/subtype} (0 when none does),
     * per RFC 9110 section 12.5.1.
     */
    static double quality(String accept, String type, String subtype) {
        double best = 0;
        int bestSpecificity = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String mediaRange = parts[0].trim();
            int slash = mediaRange.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String rangeType = mediaRange.substring(0, slash);
            String rangeSubtype = mediaRange.substring(slash + 1);
            int specificity;
            if (rangeType.equalsIgnoreCase(type) && rangeSubtype.equalsIgnoreCase(subtype)) {
                specificity = 2;
            } else if (rangeType.equalsIgnoreCase(type) && rangeSubtype.equals("*")) {
                specificity = 1;
            } else if (rangeType.equals("*") && rangeSubtype.equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                best = q(parts);
            }
        }
        return best;
    }

    private static double q(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q') && parameter.charAt(1) == '=') {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
