package dev.rolloutcontroller.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local syntax check of the PromQL query of a gate or trigger with {@code "source": "prometheus"}, so a plan
 * is refused on create for a query Prometheus would refuse, without asking a Prometheus that may not be up.
 * It checks the placeholders, the lexical structure (strings, numbers, durations, names, operators), that
 * brackets pair up, that label matchers read {@code name op "value"} and ranges {@code [5m]} or
 * {@code [5m:1m]}, and that operators and operands alternate. It is not the whole grammar (function names and
 * argument counts are Prometheus's to judge; a query it lets through that Prometheus refuses is "no data" with
 * Prometheus's error in the journal).
 */
public final class PromQlSyntax {

    public static final String ROLLOUT = "{{rollout}}";
    public static final String PATH = "{{path}}";
    public static final String WINDOW = "{{window}}";
    public static final int MAX_LENGTH = 2000;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]*)}}");
    private static final Set<String> PLACEHOLDERS = Set.of("rollout", "path", "window");
    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|[smhdwy]))+");
    private static final Pattern NUMBER = Pattern.compile(
            "0[xX][0-9a-fA-F]+|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[iI][nN][fF]|[nN][aA][nN]");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> OPERATORS = List.of("==", "!=", "<=", ">=", "=~", "!~", "+", "-", "*", "/", "%", "^",
            "<", ">", "=", ",", "@", ":");
    private static final Set<String> BINARY_WORDS = Set.of("and", "or", "unless");
    /** Words that modify an aggregation (by, without), a binary operation (on, ignoring, group_left, group_right, bool) or a selector (offset). */
    private static final Set<String> MODIFIERS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset");

    private enum Kind { NAME, NUMBER, DURATION, STRING, OPERATOR, OPEN, CLOSE }

    private record Token(Kind kind, String text) {
    }

    private PromQlSyntax() {
    }

    /** Empty when the query reads as PromQL, else what is wrong, as a sentence fragment. */
    public static Optional<String> check(String query) {
        if (query == null || query.isBlank()) {
            return Optional.of("required: a PromQL query returning one sample");
        }
        if (query.length() > MAX_LENGTH) {
            return Optional.of("at most " + MAX_LENGTH + " characters (got " + query.length() + ")");
        }
        Matcher placeholder = PLACEHOLDER.matcher(query);
        StringBuilder filled = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            if (!PLACEHOLDERS.contains(name)) {
                return Optional.of("unknown placeholder {{" + name + "}}; the query may use {{rollout}}, {{path}} and {{window}}");
            }
            placeholder.appendReplacement(filled, switch (name) {
                case "rollout" -> "rollout-key";
                case "path" -> "new";
                default -> "5m";
            });
        }
        placeholder.appendTail(filled);
        try {
            check(tokens(filled.toString()));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("not valid PromQL: " + e.getMessage());
        }
    }

    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != c) {
                    end += c != '`' && text.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= text.length()) {
                    throw new IllegalArgumentException("a string starting at character " + (i + 1) + " is not closed");
                }
                tokens.add(new Token(Kind.STRING, text.substring(i, end + 1)));
                i = end + 1;
                continue;
            }
            if ("({[".indexOf(c) >= 0 || ")}]".indexOf(c) >= 0) {
                tokens.add(new Token("({[".indexOf(c) >= 0 ? Kind.OPEN : Kind.CLOSE, String.valueOf(c)));
                i++;
                continue;
            }
            Matcher duration = DURATION.matcher(text).region(i, text.length());
            if (Character.isDigit(c) && duration.lookingAt() && !continuesName(text, duration.end())) {
                tokens.add(new Token(Kind.DURATION, duration.group()));
                i = duration.end();
                continue;
            }
            Matcher number = NUMBER.matcher(text).region(i, text.length());
            if ((Character.isDigit(c) || c == '.' || (number.lookingAt() && !continuesName(text, number.end())))
                    && number.lookingAt()) {
                tokens.add(new Token(Kind.NUMBER, number.group()));
                i = number.end();
                continue;
            }
            Matcher name = NAME.matcher(text).region(i, text.length());
            if (c != ':' && name.lookingAt()) {
                tokens.add(new Token(Kind.NAME, name.group()));
                i = name.end();
                continue;
            }
            String operator = null;
            for (String candidate : OPERATORS) {
                if (text.startsWith(candidate, i)) {
                    operator = candidate;
                    break;
                }
            }
            if (operator == null) {
                throw new IllegalArgumentException("unexpected character '" + c + "' at character " + (i + 1));
            }
            tokens.add(new Token(Kind.OPERATOR, operator));
            i += operator.length();
        }
        return tokens;
    }

    private static boolean continuesName(String text, int at) {
        return at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_');
    }

    private static void check(List<Token> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the query is empty");
        }
        Deque<String> open = new ArrayDeque<>();
        boolean expectOperand = true;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            switch (token.kind()) {
                case OPEN -> {
                    if (token.text().equals("{")) {
                        if (!expectOperand && tokens.get(i - 1).kind() != Kind.NAME) {
                            throw new IllegalArgumentException("an operator is missing before '{'");
                        }
                        i = labelMatchers(tokens, i);
                        expectOperand = false;
                    } else if (token.text().equals("[")) {
                        if (expectOperand) {
                            throw new IllegalArgumentException("a range [..] must follow a series or an expression");
                        }
                        i = range(tokens, i);
                    } else {
                        if (!expectOperand) {
                            throw new IllegalArgumentException("an operator is missing before '('");
                        }
                        open.push(token.text());
                    }
                }
                case CLOSE -> {
                    if (open.isEmpty() || !open.pop().equals("(") || !token.text().equals(")")) {
                        throw new IllegalArgumentException("'" + token.text() + "' does not close anything");
                    }
                    if (expectOperand && !tokens.get(i - 1).text().equals("(")) {
                        throw new IllegalArgumentException("an operand is missing before ')'");
                    }
                    expectOperand = false;
                }
                case NAME -> {
                    String word = token.text();
                    if (BINARY_WORDS.contains(word)) {
                        if (expectOperand) {
                            throw new IllegalArgumentException("'" + word + "' needs an operand before it");
                        }
                        expectOperand = true;
                    } else if (word.equals("offset")) {
                        String before = i == 0 ? "" : tokens.get(i - 1).text();
                        if (expectOperand || !(tokens.get(i - 1).kind() == Kind.NAME || before.equals("}") || before.equals("]"))) {
                            throw new IllegalArgumentException("'offset' must follow a series selector or a range");
                        }
                        i = offset(tokens, i);
                    } else if (word.equals("by") || word.equals("without")) {
                        // Prefix (sum by (x) (...)) keeps expecting the argument; postfix (sum(...) by (x)) does not.
                        if (i + 1 >= tokens.size() || !tokens.get(i + 1).text().equals("(")) {
                            throw new IllegalArgumentException("'" + word + "' needs a list of labels in parentheses");
                        }
                        i = labelList(tokens, i + 1);
                    } else if (MODIFIERS.contains(word)) {
                        // on, ignoring, group_left, group_right, bool: between a binary operator and its right operand.
                        if (!expectOperand || i == 0 || tokens.get(i - 1).kind() == Kind.OPEN) {
                            throw new IllegalArgumentException("'" + word + "' must follow a binary operator");
                        }
                        boolean list = i + 1 < tokens.size() && tokens.get(i + 1).text().equals("(");
                        if (list && !word.equals("bool")) {
                            i = labelList(tokens, i + 1);
                        } else if (word.equals("on") || word.equals("ignoring")) {
                            throw new IllegalArgumentException("'" + word + "' needs a list of labels in parentheses");
                        }
                    } else {
                        if (!expectOperand) {
                            throw new IllegalArgumentException("an operator is missing before '" + word + "'");
                        }
                        boolean call = i + 1 < tokens.size() && tokens.get(i + 1).text().equals("(");
                        boolean grouped = i + 1 < tokens.size()
                                && (tokens.get(i + 1).text().equals("by") || tokens.get(i + 1).text().equals("without"));
                        expectOperand = call || grouped;
                    }
                }
                case NUMBER, STRING, DURATION -> {
                    if (!expectOperand) {
                        throw new IllegalArgumentException("an operator is missing before " + token.text());
                    }
                    expectOperand = false;
                }
                case OPERATOR -> {
                    String op = token.text();
                    if (op.equals("=~") || op.equals("!~") || op.equals("=") || op.equals(":")) {
                        throw new IllegalArgumentException("'" + op + "' only belongs in a label matcher {..} or a range [..]");
                    }
                    if (op.equals("@")) {
                        if (expectOperand) {
                            throw new IllegalArgumentException("'@' must follow a series");
                        }
                        expectOperand = true;
                    } else if (op.equals(",")) {
                        if (expectOperand || open.isEmpty()) {
                            throw new IllegalArgumentException("',' outside a function's arguments");
                        }
                        expectOperand = true;
                    } else if (expectOperand) {
                        if (!op.equals("+") && !op.equals("-")) {
                            throw new IllegalArgumentException("'" + op + "' needs an operand before it");
                        }
                    } else {
                        expectOperand = true;
                    }
                }
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("'" + open.peek() + "' is not closed");
        }
        if (expectOperand) {
            throw new IllegalArgumentException("the query ends where an operand is expected");
        }
    }

    /** {@code {name op "value", ...}}; returns the index of the closing brace. */
    private static int labelMatchers(List<Token> tokens, int at) {
        int i = at + 1;
        while (i < tokens.size() && !tokens.get(i).text().equals("}")) {
            if (i + 2 >= tokens.size() || tokens.get(i).kind() != Kind.NAME
                    || !List.of("=", "!=", "=~", "!~").contains(tokens.get(i + 1).text()) || tokens.get(i + 2).kind() != Kind.STRING) {
                throw new IllegalArgumentException("label matchers read name=\"value\" (also !=, =~, !~), separated by commas");
            }
            i += 3;
            if (i < tokens.size() && tokens.get(i).text().equals(",")) {
                i++;
            }
        }
        if (i >= tokens.size()) {
            throw new IllegalArgumentException("'{' is not closed");
        }
        return i;
    }

    /** {@code [5m]} or {@code [5m:]} or {@code [5m:1m]}; returns the index of the closing bracket. */
    private static int range(List<Token> tokens, int at) {
        int i = at + 1;
        if (i >= tokens.size() || tokens.get(i).kind() != Kind.DURATION) {
            throw new IllegalArgumentException("a range reads [5m], [1h] or [5m:1m]");
        }
        i++;
        if (i < tokens.size() && tokens.get(i).text().equals(":")) {
            i++;
            if (i < tokens.size() && tokens.get(i).kind() == Kind.DURATION) {
                i++;
            }
        }
        if (i >= tokens.size() || !tokens.get(i).text().equals("]")) {
            throw new IllegalArgumentException("a range reads [5m], [1h] or [5m:1m]");
        }
        return i;
    }

    /** {@code offset 5m} or {@code offset -5m}; returns the index of the duration. */
    private static int offset(List<Token> tokens, int at) {
        int i = at + 1;
        if (i < tokens.size() && tokens.get(i).text().equals("-")) {
            i++;
        }
        if (i >= tokens.size() || tokens.get(i).kind() != Kind.DURATION) {
            throw new IllegalArgumentException("'offset' needs a duration such as 5m");
        }
        return i;
    }

    /** {@code (label, label)}; returns the index of the closing parenthesis. */
    private static int labelList(List<Token> tokens, int at) {
        int i = at + 1;
        while (i < tokens.size() && !tokens.get(i).text().equals(")")) {
            if (tokens.get(i).kind() != Kind.NAME || !LABEL_NAME.matcher(tokens.get(i).text()).matches()) {
                throw new IllegalArgumentException("a label list reads (label, label)");
            }
            i++;
            if (i < tokens.size() && tokens.get(i).text().equals(",")) {
                i++;
            }
        }
        if (i >= tokens.size()) {
            throw new IllegalArgumentException("'(' is not closed");
        }
        return i;
    }
}
