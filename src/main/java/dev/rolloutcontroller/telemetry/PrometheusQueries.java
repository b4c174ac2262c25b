package dev.rolloutcontroller.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.PromQlSyntax;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.evaluation.Observation;
import dev.rolloutcontroller.domain.evaluation.StatKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The figures of gates and triggers with {@code "source": "prometheus"}: each query, with {@code {{rollout}}},
 * {@code {{path}}} and {@code {{window}}} filled in, runs as an instant query against
 * {@code rollout.prometheus.url}. Exactly one sample is a figure; anything else (an error, a timeout, no sample,
 * several series) is an {@link Observation#unavailable} saying why, which the engine judges as no data: the gate
 * holds, the trigger does not fire, and the journal carries the reason.
 */
@ApplicationScoped
public class PrometheusQueries {

    private static final int MAX_REASON = 300;

    private final RolloutConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    PrometheusQueries(RolloutConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.prometheus().timeout()).build();
    }

    /** An observation for each key that carries a query; keys without one are left to {@link WindowStats}. */
    public Map<StatKey, Observation> observe(Rollout rollout, Set<StatKey> keys, Instant now) {
        Map<StatKey, Observation> result = new HashMap<>();
        for (StatKey key : keys) {
            if (key.query() != null) {
                result.put(key, query(fill(key, rollout, now)));
            }
        }
        return result;
    }

    /** The query as sent: the rollout's key, the path, and the window in seconds (at least one). */
    static String fill(StatKey key, Rollout rollout, Instant now) {
        Duration window = Duration.between(WindowStats.windowStart(key, rollout.stepEnteredAt(), now), now);
        long seconds = Math.max(1, window.toSeconds());
        return key.query().replace(PromQlSyntax.ROLLOUT, rollout.key()).replace(PromQlSyntax.PATH, key.path())
                .replace(PromQlSyntax.WINDOW, seconds + "s");
    }

    Observation query(String query) {
        if (config.prometheus().url().isEmpty()) {
            return Observation.unavailable("rollout.prometheus.url is not set");
        }
        Duration timeout = config.prometheus().timeout();
        String base = config.prometheus().url().get().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + "&timeout=" + Math.max(1, timeout.toSeconds()) + "s"));
        config.prometheus().token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return Observation.unavailable("Prometheus did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return Observation.unavailable("Prometheus could not be reached (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.unavailable("interrupted while querying Prometheus");
        }
        return read(json, response.statusCode(), response.body());
    }

    /** One sample of an instant vector or a scalar is the figure; everything else says why it is not. */
    static Observation read(ObjectMapper json, int status, String body) {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (IOException e) {
            return Observation.unavailable("Prometheus answered HTTP " + status + " without a JSON body");
        }
        if (!"success".equals(answer.path("status").asText())) {
            return Observation.unavailable(shorten("Prometheus answered HTTP " + status + ": "
                    + answer.path("errorType").asText("error") + ": " + answer.path("error").asText("no message")));
        }
        JsonNode data = answer.path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        JsonNode value;
        switch (type) {
            case "scalar" -> value = result;
            case "vector" -> {
                if (result.isEmpty()) {
                    return Observation.unavailable("the query returned no sample");
                }
                if (result.size() > 1) {
                    return Observation.unavailable("the query returned " + result.size()
                            + " series; it must return one (aggregate it, e.g. max(...))");
                }
                value = result.get(0).path("value");
            }
            default -> {
                return Observation.unavailable("the query returned a " + type + "; it must return one sample");
            }
        }
        try {
            return Observation.of(Double.parseDouble(value.path(1).asText()), 1);
        } catch (NumberFormatException e) {
            return Observation.unavailable("the query's sample is not a number: " + shorten(value.toString()));
        }
    }

    private static String shorten(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
    }
}
