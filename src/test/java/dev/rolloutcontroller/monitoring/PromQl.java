package dev.rolloutcontroller.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the PromQL expressions of the dashboard and the alert rules, and the series names they use. */
final class PromQl {

    static final Path DASHBOARD = Path.of("deploy", "grafana", "rollout-controller.json");
    static final Path ALERTS = Path.of("deploy", "prometheus", "alerts.yml");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
            "by", "without", "on", "ignoring", "group_left", "group_right",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    private PromQl() {
    }

    /** Every {@code expr} of the dashboard (panels and annotations), Grafana's variables filled in. */
    static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(node -> expressions.add(fillGrafanaVariables(node.asText())));
        return expressions;
    }

    /** The metrics the dashboard's template variables read ({@code label_values(metric, label)}). */
    static List<String> dashboardVariableMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> metrics = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText(""));
            if (m.find()) {
                metrics.add(m.group(1));
            }
        }
        return metrics;
    }

    /** Every {@code expr:} of alerts.yml, inline or as a folded ({@code >}) block. */
    static List<String> alertExpressions() throws IOException {
        List<String> lines = Files.readAllLines(ALERTS);
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("expr:");
            if (at < 0 || line.trim().startsWith("#")) {
                continue;
            }
            String rest = line.substring(at + "expr:".length()).trim();
            if (!rest.equals(">")) {
                expressions.add(rest);
                continue;
            }
            StringBuilder folded = new StringBuilder();
            int indent = at + 2;
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || leadingSpaces(lines.get(i + 1)) >= indent)) {
                folded.append(lines.get(++i).trim()).append(' ');
            }
            expressions.add(folded.toString().trim());
        }
        return expressions;
    }

    /** The series names an expression reads: identifiers that are not functions, keywords or label names. */
    static Set<String> seriesNames(String expression) {
        String stripped = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("\\{[^}]*}", "{}")
                .replaceAll("\\[[^]]*]", "[]");
        stripped = GROUPING.matcher(stripped).replaceAll("");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            if (m.group(2) == null && !KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String fillGrafanaVariables(String expression) {
        return expression.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
                .replace("$rollout", "some-rollout");
    }

    private static int leadingSpaces(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
