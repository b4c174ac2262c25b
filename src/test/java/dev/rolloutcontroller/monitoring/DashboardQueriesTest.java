package dev.rolloutcontroller.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.Binaries;
import dev.rolloutcontroller.support.Reports;
import dev.rolloutcontroller.support.Scrape;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PromQL expression of the Grafana dashboard and the alert rules parses (promtool reads them as
 * recording rules) and reads only series the service exports, as a real scrape of it shows once a live
 * rollout has reports and an evaluation.
 */
@QuarkusTest
class DashboardQueriesTest {

    @Inject
    RolloutAnalysisMetrics analysis;

    @TempDir
    Path temp;

    @Test
    void shouldParseEveryDashboardAndAlertExpression() throws Exception {
        Path promtool = Binaries.require(Binaries.PROMTOOL);
        List<String> expressions = allExpressions();
        ObjectMapper json = new ObjectMapper();
        ObjectNode file = json.createObjectNode();
        ArrayNode rules = file.putArray("groups").addObject().put("name", "expressions").putArray("rules");
        for (int i = 0; i < expressions.size(); i++) {
            rules.addObject().put("record", "expression_" + i).put("expr", expressions.get(i));
        }
        // JSON is YAML, so promtool reads the file as a rule file.
        Path ruleFile = temp.resolve("expressions.yml");
        Files.writeString(ruleFile, json.writeValueAsString(file));
        Binaries.Result result = Binaries.run(temp, promtool.toString(), "check", "rules", ruleFile.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS: " + expressions.size() + " rules found"), result.output());
    }

    @Test
    void shouldReadOnlySeriesTheServiceExports() throws Exception {
        String key = Api.createRollout("dashboard", "c1");
        Api.act(key, "start");
        as(Api.reporter()).body(Reports.batch(key + "-n", 3, "new", 100, 1, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        as(Api.reporter()).body(Reports.batch(key + "-l", 3, "legacy", 100, 1, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200);
        analysis.refresh();
        Set<String> exported = Scrape.ofService().names();

        Set<String> used = new TreeSet<>(PromQl.dashboardVariableMetrics());
        for (String expression : allExpressions()) {
            used.addAll(PromQl.seriesNames(expression));
        }
        assertTrue(used.contains("rollout_percentage") && used.contains("rollout_gate_verdict"),
                "the extraction finds the series: " + used);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "series the dashboard or the alerts read but the service does not export");
    }

    @Test
    void shouldFindSeriesNamesButNotFunctionsLabelsOrKeywords() {
        assertEquals(Set.of("a_total", "b_seconds"), PromQl.seriesNames(
                "sum by (path) (increase(a_total{x=\"y or z\"}[5m])) > on (rollout) group_left max(b_seconds) and time() > 3"));
    }

    private static List<String> allExpressions() throws Exception {
        List<String> expressions = new ArrayList<>(PromQl.dashboardExpressions());
        expressions.addAll(PromQl.alertExpressions());
        assertTrue(expressions.size() > 20, "expressions found: " + expressions.size());
        return expressions;
    }
}
