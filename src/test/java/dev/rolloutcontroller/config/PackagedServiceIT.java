package dev.rolloutcontroller.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service ({@code java -jar target/quarkus-app/quarkus-run.jar}, built by {@code package}
 * before this runs) as an operator runs it: killed with SIGKILL and started again on the same data, and
 * started without any database.
 */
class PackagedServiceIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();
    /** The promise of issue 10: the restart after a crash is ready within this, data intact. */
    private static final Duration RESTART_BUDGET = Duration.ofSeconds(15);
    /** Load average per core past which a start time measures the machine, not the service. */
    private static final double OVERLOADED = 2.0;
    /** The first start of the run also unpacks PostgreSQL and runs initdb and the migrations. */
    private static final Duration FIRST_START_BUDGET = Duration.ofSeconds(180);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> services = new ArrayList<>();
    private Path workDirectory;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process service : services) {
            if (service.isAlive()) {
                service.destroy();
                if (!service.waitFor(30, TimeUnit.SECONDS)) {
                    service.destroyForcibly().waitFor();
                }
            }
        }
        if (workDirectory != null) {
            LeftoverServer.stopIfRunning(workDirectory.resolve("postgres"));
            try (var paths = Files.walk(workDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void shouldComeBackWithEveryRolloutAndEventAfterAKillDashNine() throws Exception {
        // rollout-pg- in the name: .ci/run stops any server still running on such a directory.
        workDirectory = Files.createTempDirectory("rollout-pg-it-");
        Path dataDirectory = workDirectory.resolve("postgres");
        int port = freePort();

        Process first = start(dataDirectory, port, "first.log");
        awaitReady(first, port, FIRST_START_BUDGET, "first.log");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = "crash-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            assertEquals(201, send(port, "POST", "/api/v1/rollouts", "{\"key\":\"" + key + "\",\"canarySessions\":[\"s1\"]}").statusCode());
            keys.add(key);
        }
        assertEquals(200, send(port, "POST", "/api/v1/rollouts/" + keys.get(0) + "/start",
                "{\"force\":true,\"reason\":\"crash drill\"}").statusCode());
        Map<String, String> before = snapshot(port, keys);

        Path passwordFile = dataDirectory.resolve(EmbeddedDatabase.PASSWORD_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        int databasePort = Integer.parseInt(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(3).strip());
        SQLException refused = assertThrows(SQLException.class, () ->
                DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort + "/postgres", "postgres", "").close());
        assertTrue(refused.getMessage().contains("password"), refused.getMessage());

        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the service did not die of SIGKILL");
        long leftover = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
        assertTrue(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false),
                "the scenario needs the killed service's PostgreSQL still running");

        long restartedAt = System.nanoTime();
        Process second = start(dataDirectory, port, "second.log");
        awaitReady(second, port, RESTART_BUDGET.plusSeconds(60), "second.log");
        Duration readyAfter = Duration.ofNanos(System.nanoTime() - restartedAt);
        System.out.printf("PackagedServiceIT: ready %.1f s after restarting on the data of a SIGKILLed service%n",
                readyAfter.toMillis() / 1000.0);

        Files.readAllLines(workDirectory.resolve("second.log")).stream().filter(line -> line.contains("leftover"))
                .forEach(line -> System.out.println("PackagedServiceIT: " + line));

        assertFalse(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false), "the leftover server still runs");
        assertEquals(before, snapshot(port, keys), "rollouts or events differ after the restart");
        double loadPerCore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                / Runtime.getRuntime().availableProcessors();
        if ("true".equals(System.getenv("CI")) || loadPerCore < OVERLOADED) {
            assertTrue(readyAfter.compareTo(RESTART_BUDGET) < 0, "ready only after " + readyAfter.toMillis() + " ms");
        } else {
            System.out.printf("PackagedServiceIT: the %d s budget is not asserted on a machine this busy "
                    + "(load %.1f per core); it is with CI=true%n", RESTART_BUDGET.toSeconds(), loadPerCore);
        }
    }

    @Test
    void shouldStopWithOneLineWhenTheEmbeddedDatabaseIsOffAndNoUrlIsSet() throws Exception {
        workDirectory = Files.createTempDirectory("rollout-pg-it-");
        ProcessBuilder builder = command(workDirectory.resolve("postgres"), freePort());
        builder.environment().put("ROLLOUT_EMBEDDED_DB_ENABLED", "false");
        builder.redirectOutput(workDirectory.resolve("out.log").toFile()).redirectError(workDirectory.resolve("err.log").toFile());
        Process service = builder.start();
        services.add(service);

        assertTrue(service.waitFor(60, TimeUnit.SECONDS), "the service did not stop");
        List<String> errors = Files.readAllLines(workDirectory.resolve("err.log"));
        assertEquals(78, service.exitValue());
        assertEquals(1, errors.size(), "one line, not a stack trace: " + errors);
        assertTrue(errors.get(0).contains("set QUARKUS_DATASOURCE_JDBC_URL"), errors.get(0));
        assertEquals("", Files.readString(workDirectory.resolve("out.log")).strip());
    }

    private Process start(Path dataDirectory, int port, String log) throws IOException {
        ProcessBuilder builder = command(dataDirectory, port);
        builder.redirectErrorStream(true).redirectOutput(workDirectory.resolve(log).toFile());
        Process service = builder.start();
        services.add(service);
        return service;
    }

    private ProcessBuilder command(Path dataDirectory, int port) {
        assertTrue(Files.exists(JAR), JAR + " is missing: run ./mvnw verify (package builds it before the ITs)");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", JAR.toString());
        Map<String, String> env = builder.environment();
        env.remove("QUARKUS_DATASOURCE_JDBC_URL");
        env.put("ROLLOUT_EMBEDDED_DB_DATA_DIR", dataDirectory.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("ROLLOUT_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("ROLLOUT_EVALUATOR_ENABLED", "false");
        return builder;
    }

    private void awaitReady(Process service, int port, Duration within, String log) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                fail("the service exited (" + service.exitValue() + "):\n" + tail(log));
            }
            try {
                if (send(port, "GET", "/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            }
            Thread.sleep(100);
        }
        fail("not ready within " + within.toSeconds() + " s:\n" + tail(log));
    }

    /** Each rollout's state and version, and how many audit events it has. */
    private Map<String, String> snapshot(int port, List<String> keys) throws Exception {
        Map<String, String> state = new LinkedHashMap<>();
        for (String key : keys) {
            HttpResponse<String> rollout = send(port, "GET", "/api/v1/rollouts/" + key, null);
            assertEquals(200, rollout.statusCode(), rollout.body());
            HttpResponse<String> events = send(port, "GET", "/api/v1/rollouts/" + key + "/events?limit=200", null);
            assertEquals(200, events.statusCode(), events.body());
            JsonNode body = JSON.readTree(rollout.body());
            state.put(key, body.path("status").asText() + " v" + body.path("version").asText()
                    + " step " + body.path("currentStep").asText() + ", events " + JSON.readTree(events.body()).path("events").size());
        }
        return state;
    }

    private HttpResponse<String> send(int port, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String tail(String log) throws IOException {
        List<String> lines = Files.readAllLines(workDirectory.resolve(log));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
