package dev.rolloutcontroller.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Prometheus on a free port, scraping the service under test (on a port chosen here, so the
 * configuration can name it before the service starts) and a {@link TestExporter} every second, with its
 * storage in a temporary directory. The service's {@code rollout.prometheus.url} points at it. Without the
 * binary nothing starts, and the tests skip through {@link Binaries#require}. {@link #stop} always ends the
 * process.
 */
public class PrometheusResource implements QuarkusTestResourceLifecycleManager {

    /** The exporter and Prometheus of the running test class (one class at a time uses this resource). */
    public static volatile TestExporter exporter;
    public static volatile String prometheusUrl;

    private Process prometheus;
    private Path directory;

    @Override
    public Map<String, String> start() {
        int servicePort = freePort();
        int prometheusPort = freePort();
        prometheusUrl = "http://127.0.0.1:" + prometheusPort;
        exporter = new TestExporter();
        if (Files.isExecutable(Path.of(Binaries.PROMETHEUS))) {
            try {
                directory = Files.createTempDirectory("rollout-prometheus-");
                Path config = directory.resolve("prometheus.yml");
                Files.writeString(config, """
                        global:
                          scrape_interval: 1s
                          evaluation_interval: 1s
                        scrape_configs:
                          - job_name: rollout-controller
                            metrics_path: /q/metrics
                            static_configs: [{targets: ['127.0.0.1:%d']}]
                          - job_name: host
                            static_configs: [{targets: ['127.0.0.1:%d']}]
                        """.formatted(servicePort, exporter.port()));
                prometheus = new ProcessBuilder(Binaries.PROMETHEUS,
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + directory.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("prometheus.log").toFile())
                        .start();
                awaitReady();
            } catch (IOException e) {
                stop();
                throw new UncheckedIOException("cannot start " + Binaries.PROMETHEUS, e);
            }
        }
        return Map.of(
                "quarkus.http.test-port", String.valueOf(servicePort),
                "rollout.prometheus.url", prometheusUrl,
                "rollout.prometheus.timeout", "PT3S");
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + prometheus.exitValue() + "; see " + directory);
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("prometheus was not ready within 30 s");
    }

    @Override
    public void stop() {
        try {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            prometheus.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            prometheus = null;
            if (exporter != null) {
                exporter.close();
            }
            deleteDirectory();
        }
    }

    private void deleteDirectory() {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
        directory = null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
