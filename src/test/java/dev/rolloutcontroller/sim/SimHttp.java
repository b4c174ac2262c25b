package dev.rolloutcontroller.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The simulator's HTTP: one JDK client, every request counted by kind and status and timed by kind. A request
 * that never got a status (connection refused, timeout) counts as {@code io-error}.
 */
final class SimHttp {

    /** What a request was for; the summary groups by it. */
    enum Kind {
        FLAG_READ("flagReads"),
        FLAG_EVALUATE("flagEvaluate"),
        FLAG_STREAM("flagStream"),
        REPORTS("reports"),
        SMOKE("smokeResults"),
        SHADOW("shadowComparisons"),
        SIGNALS("signals"),
        READ_BACK("readBack");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** Times and durations as ISO-8601 text. */
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final URI base;
    private final String token;
    private final Map<Kind, Map<String, LongAdder>> statuses = new EnumMap<>(Kind.class);
    private final Map<Kind, LatencyHistogram> latencies = new EnumMap<>(Kind.class);

    SimHttp(URI base, String token) {
        // The client's own executor, not the simulator's workers: a worker blocked in send() must never be what
        // the client waits for to complete it.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        this.base = base;
        this.token = token;
        for (Kind kind : Kind.values()) {
            statuses.put(kind, new ConcurrentHashMap<>());
            latencies.put(kind, new LatencyHistogram());
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    /** A request for a response that stays open (no timeout). */
    HttpRequest.Builder streamRequest(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    }

    HttpRequest.Builder postJson(String path, Object body) {
        return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json(body)));
    }

    /** Sends, counts and times; empty when the request failed before a status arrived. */
    Optional<HttpResponse<String>> send(Kind kind, HttpRequest request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            latencies.get(kind).record(System.nanoTime() - started);
            count(kind, Integer.toString(response.statusCode()));
            return Optional.of(response);
        } catch (IOException e) {
            count(kind, "io-error");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            count(kind, "interrupted");
            return Optional.empty();
        }
    }

    /**
     * Opens a response whose body is read line by line as it arrives (an event stream); the time to the status
     * line is what is timed. Empty when it failed before a status arrived.
     */
    Optional<HttpResponse<Stream<String>>> open(Kind kind, HttpRequest request) {
        long started = System.nanoTime();
        try {
            HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            latencies.get(kind).record(System.nanoTime() - started);
            count(kind, Integer.toString(response.statusCode()));
            return Optional.of(response);
        } catch (IOException e) {
            count(kind, "io-error");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void count(Kind kind, String status) {
        statuses.get(kind).computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    long countOf(Kind kind, String status) {
        LongAdder adder = statuses.get(kind).get(status);
        return adder == null ? 0 : adder.sum();
    }

    long total(Kind kind) {
        return statuses.get(kind).values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Requests that did not get the answer they expect: any status of 400 or more, or none at all. */
    long errors(Kind kind) {
        return statuses.get(kind).entrySet().stream()
                .filter(e -> !e.getKey().matches("[23]\\d\\d"))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    LatencyHistogram latency(Kind kind) {
        return latencies.get(kind);
    }

    /** Kind → status → count, leaving out kinds never used. */
    Map<String, Map<String, Long>> statusSummary() {
        Map<String, Map<String, Long>> summary = new LinkedHashMap<>();
        statuses.forEach((kind, counts) -> {
            if (!counts.isEmpty()) {
                Map<String, Long> byStatus = new TreeMap<>();
                counts.forEach((status, adder) -> byStatus.put(status, adder.sum()));
                summary.put(kind.label, byStatus);
            }
        });
        return summary;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
