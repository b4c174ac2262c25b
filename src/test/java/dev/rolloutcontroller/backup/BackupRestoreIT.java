package dev.rolloutcontroller.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolloutcontroller.config.EmbeddedDatabase;
import dev.rolloutcontroller.support.PackagedService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup procedure of docs/operations.md, on the packaged service: pg_dump of the embedded database while the
 * service runs (its port read from the log), pg_restore into a fresh PostgreSQL, the service started on that one,
 * and the same rollout, flags, tokens and audit log found there. The first service runs with the JSON log switched
 * on, so its action line is checked as an aggregator would read it.
 */
class BackupRestoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "backup-admin-" + UUID.randomUUID();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> services = new ArrayList<>();
    private EmbeddedDatabase restoreTarget;
    private Path work;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process service : services) {
            stop(service);
        }
        if (restoreTarget != null) {
            restoreTarget.close();
        }
        if (work != null) {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void shouldRestoreADumpTakenWhileTheServiceRunsIntoAWorkingService() throws Exception {
        Optional<Path> pgDump = clientTool("pg_dump");
        Optional<Path> pgRestore = clientTool("pg_restore");
        requireTool(pgDump.isPresent() && pgRestore.isPresent(), "pg_dump/pg_restore not installed (Debian: postgresql-client)");
        // "rollout-pg-" in the name: .ci/run stops any server left behind under such a directory.
        work = Files.createTempDirectory("rollout-pg-backup-");

        Path sourceLog = work.resolve("source.log");
        int sourcePort = freePort();
        Process source = start(sourceLog, sourcePort, Map.of("ROLLOUT_EMBEDDED_DB_DATA_DIR", work.resolve("data").toString(),
                "QUARKUS_LOG_CONSOLE_JSON", "true"));
        String base = "http://localhost:" + sourcePort;
        int databasePort = embeddedPort(sourceLog);
        // The embedded server's superuser password, generated on first start into its data directory (decision 0007).
        String sourcePassword = Files.readString(work.resolve("data").resolve(EmbeddedDatabase.PASSWORD_FILE)).strip();
        int serverMajor = serverMajorVersion(databasePort, sourcePassword);
        int clientMajor = majorVersion(pgDump.get());
        requireTool(clientMajor >= serverMajor, "pg_dump " + clientMajor + " cannot dump a PostgreSQL " + serverMajor + " server");

        // Data of every kind the backup must keep.
        String operatorName = "backup-alice-" + UUID.randomUUID().toString().substring(0, 8);
        String operator = post(base, ADMIN, "/api/v1/tokens", Map.of("name", operatorName, "roles", List.of("operator")), null)
                .path("token").asText();
        String key = "backup-" + UUID.randomUUID().toString().substring(0, 8);
        post(base, ADMIN, "/api/v1/rollouts", Map.of("key", key, "canarySessions", List.of("session1", "session2")), null);
        post(base, ADMIN, "/api/v1/rollouts/" + key + "/start", Map.of("force", true, "reason", "backup drill"), null);
        String requestId = "backup-" + UUID.randomUUID();
        post(base, operator, "/api/v1/rollouts/" + key + "/pause", Map.of("reason", "before the backup"), requestId);

        assertActionLoggedAsJson(sourceLog, "rollout " + key + ": rollout.paused by " + operatorName + " (reason: before the backup)",
                Map.of("requestId", requestId, "actor", operatorName, "rolloutKey", key));

        Snapshot before = snapshot(base, key, operator);

        Path dump = work.resolve("rollouts.dump");
        run(List.of(pgDump.get().toString(), "-h", "localhost", "-p", String.valueOf(databasePort), "-U", EmbeddedDatabase.USER,
                "-Fc", "-f", dump.toString(), EmbeddedDatabase.DATABASE), sourcePassword);
        System.out.printf("pg_dump %d of the running service's PostgreSQL %d: %d bytes%n", clientMajor, serverMajor, Files.size(dump));

        restoreTarget = EmbeddedDatabase.ephemeral().start();
        int restorePort = Integer.parseInt(restoreTarget.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        String restorePassword = restoreTarget.datasourceConfig().get("quarkus.datasource.password");
        run(List.of(pgRestore.get().toString(), "-h", "localhost", "-p", String.valueOf(restorePort), "-U", EmbeddedDatabase.USER,
                "-d", EmbeddedDatabase.DATABASE, "--no-owner", "--exit-on-error", dump.toString()), restorePassword);

        int restoredPort = freePort();
        start(work.resolve("restored.log"), restoredPort, Map.of("QUARKUS_DATASOURCE_JDBC_URL", restoreTarget.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", EmbeddedDatabase.USER, "QUARKUS_DATASOURCE_PASSWORD", restorePassword,
                "ROLLOUT_EMBEDDED_DB_ENABLED", "false"));
        Snapshot after = snapshot("http://localhost:" + restoredPort, key, operator);

        assertEquals(before.rollout(), after.rollout(), "the rollout");
        assertEquals(before.flags(), after.flags(), "a session's flags");
        assertEquals(before.tokens(), after.tokens(), "the tokens");
        assertEquals(before.events(), after.events(), "the audit log");
        assertEquals("PAUSED", after.rollout().path("status").asText());
        System.out.printf("restored: rollout %s %s v%d, %d tokens, %d audit events; the operator token still works%n",
                key, after.rollout().path("status").asText(), after.rollout().path("version").asLong(),
                after.tokens().size(), after.events().size());
    }

    /** What a restore must bring back, read through the API (the operator's token must still be accepted). */
    record Snapshot(JsonNode rollout, JsonNode flags, JsonNode tokens, JsonNode events) {
    }

    private Snapshot snapshot(String base, String key, String operator) throws Exception {
        ObjectNode rollout = (ObjectNode) get(base, operator, "/api/v1/rollouts/" + key);
        // Computed at the time of reading (gate values against the clock), not stored.
        rollout.remove("evaluation");
        JsonNode flags = get(base, operator, "/api/v1/rollouts/" + key + "/flags?session=session1");
        JsonNode tokens = get(base, ADMIN, "/api/v1/tokens").path("tokens");
        for (JsonNode token : tokens) {
            // Stamped by each use, so reading changes it.
            ((ObjectNode) token).remove("lastUsedAt");
        }
        JsonNode events = get(base, operator, "/api/v1/rollouts/" + key + "/events?limit=100");
        return new Snapshot(rollout, flags, tokens, events);
    }

    private void assertActionLoggedAsJson(Path log, String message, Map<String, String> mdc) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{")).toList();
            for (String line : seen) {
                JsonNode entry = JSON.readTree(line);
                if (entry.path("message").asText().equals(message)) {
                    assertEquals(JSON.valueToTree(mdc), entry.path("mdc"), line);
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no JSON line with message '" + message + "' among " + seen.size() + " JSON lines");
    }

    private Process start(Path log, int httpPort, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(PackagedService.command(PackagedService.APP_DIR.toAbsolutePath(), "-Xmx256m"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).directory(work.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove("QUARKUS_DATASOURCE_JDBC_URL");
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        environment.put("ROLLOUT_ADMIN_TOKEN", ADMIN);
        environment.putAll(env);
        Process process = builder.start();
        services.add(process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited (" + process.exitValue() + "):\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the service was not ready within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    /** As the runbook does: the port is in the startup log. */
    private static int embeddedPort(Path log) throws IOException {
        Matcher port = Pattern.compile("Embedded PostgreSQL listening on port (\\d+)").matcher(Files.readString(log));
        assertTrue(port.find(), "the log names the embedded database's port");
        return Integer.parseInt(port.group(1));
    }

    private static int serverMajorVersion(int port, String password) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + EmbeddedDatabase.DATABASE,
                EmbeddedDatabase.USER, password);
             ResultSet version = connection.createStatement().executeQuery("show server_version_num")) {
            version.next();
            return version.getInt(1) / 10_000;
        }
    }

    private static int majorVersion(Path tool) throws Exception {
        Process process = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher version = Pattern.compile("(\\d+)(\\.\\d+)?").matcher(out);
        assertTrue(version.find(), out);
        return Integer.parseInt(version.group(1));
    }

    private static Optional<Path> clientTool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Skips on a developer machine without a fit client; CI must have one. */
    private static void requireTool(boolean present, String missing) {
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(missing + " (required when CI=true)");
        }
        Assumptions.assumeTrue(present, missing + ": backup test skipped");
    }

    /** Runs a PostgreSQL client tool, giving it the password as the libpq environment variable (never on the command line). */
    private static void run(List<String> command, String password) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + out);
    }

    private JsonNode get(String base, String token, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private JsonNode post(String base, String token, String path, Object body, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, () -> "POST " + path + ": " + response.body());
        if (requestId != null) {
            assertEquals(Optional.of(requestId), response.headers().firstValue("X-Request-Id"));
        }
        return JSON.readTree(response.body());
    }

    /** SIGTERM, then a kill after 30 s; the embedded server of a killed service is stopped by its postmaster.pid. */
    private void stop(Process service) throws Exception {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Path pid = work == null ? null : work.resolve("data/postmaster.pid");
        if (pid != null && Files.exists(pid)) {
            long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).strip());
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
