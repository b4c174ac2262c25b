package dev.rolloutcontroller.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.Binaries;
import dev.rolloutcontroller.support.PrometheusResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus (Debian's binary) scrapes the running service and a test exporter: the rollout's analysis
 * arrives in it, and gates and triggers with {@code "source": "prometheus"} read from it.
 */
@QuarkusTest
@WithTestResource(value = PrometheusResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RealPrometheusTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RolloutAnalysisMetrics analysis;

    @Inject
    RolloutEvaluator evaluator;

    @BeforeEach
    void requirePrometheus() {
        Binaries.require(Binaries.PROMETHEUS);
    }

    @Test
    void shouldDeliverTheRolloutsPercentageAndGateVerdictsToPrometheus() {
        String key = Api.createRollout("scraped", "c1");
        Api.act(key, "start");
        evaluator.evaluate(key);
        analysis.refresh();

        awaitValue("rollout_percentage{rollout=\"" + key + "\"}", "10");
        awaitValue("rollout_status{rollout=\"" + key + "\",status=\"ACTIVE\"}", "1");
        awaitValue("rollout_gate_verdict{rollout=\"" + key + "\",step=\"canary\",gate=\"exit-0-soak\"}", "0");
    }

    @Test
    void shouldHoldOnNoDataThenAdvanceWhenThePrometheusGatePasses() {
        String key = Api.uniqueKey("prom-gate");
        String query = "max(test_disk_busy_ratio{rollout=\"{{rollout}}\",path=\"{{path}}\"})";
        createWithPlan(key, Map.of("steps", List.of(
                Map.of("name", "canary", "percentage", 10, "soak", "PT0S", "exitGates", List.of(Map.of(
                        "kind", "metric", "description", "disk I/O stays low", "source", "prometheus",
                        "query", query, "op", "<", "threshold", 0.5))),
                Map.of("name", "full", "percentage", 100, "soak", "PT0S"))));
        Api.act(key, "start");

        evaluator.evaluate(key);
        asAdmin().get("/api/v1/rollouts/" + key).then().body("step", equalTo("canary"));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("NONE"))
                .body("evaluations[0].exitGates[0].verdict", equalTo("PENDING"))
                .body("evaluations[0].exitGates[0].detail", containsString("no data: the query returned no sample"));

        PrometheusResource.exporter.set("test_disk_busy_ratio{rollout=\"" + key + "\",path=\"new\"}", 0.2);
        awaitValue("max(test_disk_busy_ratio{rollout=\"" + key + "\",path=\"new\"})", "0.2");
        evaluator.evaluate(key);
        asAdmin().get("/api/v1/rollouts/" + key).then().body("step", equalTo("full")).body("status", equalTo("ACTIVE"));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("ADVANCE"))
                .body("evaluations[0].exitGates[0].verdict", equalTo("PASS"))
                .body("evaluations[0].exitGates[0].observed", equalTo(0.2f));
    }

    @Test
    void shouldRollBackWhenAPrometheusTriggerBreachesAndNameSeveralSeriesAsAnError() {
        String key = Api.uniqueKey("prom-trigger");
        createWithPlan(key, Map.of(
                "steps", List.of(Map.of("name", "canary", "percentage", 10, "soak", "PT1H"),
                        Map.of("name", "full", "percentage", 100, "soak", "PT0S")),
                "triggers", List.of(
                        Map.of("source", "prometheus", "query", "test_node_cpu_ratio{rollout=\"{{rollout}}\"}",
                                "op", ">", "threshold", 0.9, "action", "rollback", "description", "a node's CPU saturated"))));
        Api.act(key, "start");

        // Two nodes answer: the query returns two series, an error the journal names; the trigger does not fire.
        PrometheusResource.exporter.set("test_node_cpu_ratio{rollout=\"" + key + "\",node=\"a\"}", 0.95);
        PrometheusResource.exporter.set("test_node_cpu_ratio{rollout=\"" + key + "\",node=\"b\"}", 0.3);
        awaitValue("count(test_node_cpu_ratio{rollout=\"" + key + "\"})", "2");
        evaluator.evaluate(key);
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ACTIVE"));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].triggers[0].fired", equalTo(false))
                .body("evaluations[0].triggers[0].detail", containsString("the query returned 2 series"));

        // Node b is gone: one series, over the threshold.
        PrometheusResource.exporter.remove("test_node_cpu_ratio{rollout=\"" + key + "\",node=\"b\"}");
        PrometheusResource.exporter.set("test_node_cpu_ratio{rollout=\"" + key + "\",node=\"a\"}", 0.97);
        awaitValue("test_node_cpu_ratio{rollout=\"" + key + "\"}", "0.97");
        evaluator.evaluate(key);
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ROLLED_BACK"));
        asAdmin().get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then()
                .body("evaluations[0].action", equalTo("ROLLBACK"))
                .body("evaluations[0].reason", containsString("prometheus query"));
    }

    private static void createWithPlan(String key, Map<String, ?> plan) {
        asAdmin().body(Map.of("key", key, "canarySessions", List.of("c1"), "plan", plan))
                .post("/api/v1/rollouts").then().statusCode(201);
    }

    /** Waits (up to 30 s) until the instant query answers exactly one sample with the value, as text. */
    private static void awaitValue(String query, String value) {
        await(query, result -> result.size() == 1 && result.get(0).path("value").path(1).asText().equals(value));
    }

    private static void await(String query, Predicate<List<JsonNode>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> last = List.of();
        while (System.nanoTime() < deadline) {
            last = query(query);
            if (done.test(last)) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("Prometheus never answered as expected to " + query + "; last: " + last);
    }

    private static List<JsonNode> query(String query) {
        URI uri = URI.create(PrometheusResource.prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<JsonNode> result = new ArrayList<>();
            JSON.readTree(response.body()).path("data").path("result").forEach(result::add);
            return result;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
