package dev.rolloutcontroller.replicas;

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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One replica of the packaged service ({@code java -jar quarkus-run.jar}) as a separate process,
 * configured only through the environment, as an operator would run it. Its log goes to a file.
 */
final class Replica {

    static final String ADMIN_TOKEN = "it-admin-token";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final String databaseRole;
    private final Path runner;
    private final String jdbcUrl;
    private final Path logDirectory;
    private final Map<String, String> extraEnv;
    private int port;
    private Process process;
    private Path log;
    private int starts;

    Replica(String name, String databaseRole, Path runner, String jdbcUrl, Path logDirectory, Map<String, String> extraEnv) {
        this.name = name;
        this.databaseRole = databaseRole;
        this.runner = runner;
        this.jdbcUrl = jdbcUrl;
        this.logDirectory = logDirectory;
        this.extraEnv = extraEnv;
    }

    /** Launches the process (not waiting for it to be ready). */
    void launch() {
        try {
            port = freePort();
            starts++;
            log = logDirectory.resolve(name + "-" + starts + ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", runner.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
            env.put("QUARKUS_DATASOURCE_USERNAME", databaseRole);
            env.put("QUARKUS_DATASOURCE_PASSWORD", "");
            env.put("ROLLOUT_ADMIN_TOKEN", ADMIN_TOKEN);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.putAll(extraEnv);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for /q/health/ready to answer 200. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (readinessStatus() == 200) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /** The readiness status code, or -1 when nothing answers within a second. */
    int readinessStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(1)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    URI uri(String path) {
        return URI.create(baseUri() + path);
    }

    Path log() {
        return log;
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** Completes (with System.nanoTime() of that moment) when the process has exited. */
    java.util.concurrent.CompletableFuture<Long> exitTime() {
        return process.onExit().thenApply(exited -> System.nanoTime());
    }

    /** SIGTERM; returns once the signal is sent. */
    void terminate() {
        process.destroy();
    }

    void freeze() {
        signal("STOP");
    }

    void thaw() {
        signal("CONT");
    }

    boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Leaves nothing running: thaws a frozen process so it can die. */
    void destroy() {
        if (process != null && process.isAlive()) {
            thaw();
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return name + (process == null ? "" : " (pid " + process.pid() + ", port " + port + ")");
    }
}
