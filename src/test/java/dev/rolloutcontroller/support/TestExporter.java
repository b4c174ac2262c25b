package dev.rolloutcontroller.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A small Prometheus exporter a test controls: {@code /metrics} serves the lines it was given, such as a
 * host's disk I/O, for a real Prometheus to scrape and a rollout's Prometheus gates to read.
 */
public final class TestExporter implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Double> series = new ConcurrentHashMap<>();

    public TestExporter() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the test exporter", e);
        }
        server.createContext("/metrics", exchange -> {
            StringBuilder text = new StringBuilder();
            series.forEach((name, value) -> text.append(name).append(' ').append(value).append('\n'));
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Sets a series, written as in the exposition format: {@code name{label="value"}}. */
    public void set(String seriesWithLabels, double value) {
        series.put(seriesWithLabels, value);
    }

    public void remove(String seriesWithLabels) {
        series.remove(seriesWithLabels);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
