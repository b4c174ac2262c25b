package dev.rolloutcontroller.sim;

import dev.rolloutcontroller.sim.SimConfig.PollMode;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/rollback-monitor.sh} run as an operator would, against this service, while simulated daemons poll
 * and report: 0 when every session came back to legacy, non-zero naming the sessions that did not.
 */
@QuarkusTest
class RollbackMonitorScriptTest {

    private static final Path SCRIPT = Path.of("deploy/rollback-monitor.sh");

    @TestHTTPResource("/")
    URL base;

    record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void shouldExitZeroWhenEveryReportingSessionIsBackOnLegacy() throws Exception {
        String prefix = Api.uniqueKey("back");
        String key = activeCanaryRollout(sessionIds(prefix, 2, 3));
        try (FleetSimulator fleet = simulator(key, prefix, 2, 3, Duration.ofMillis(200), 1)) {
            fleet.start();
            awaitOnNewPath(key, 6);

            Run run = script(key, 30, "error rate above 5% on canary");

            assertEquals(0, run.exitCode(), () -> "the script failed:\n" + run.stdout() + run.stderr());
            assertTrue(run.stdout().contains("rollout " + key + ": rolled back"), run.stdout());
            assertTrue(run.stdout().contains("6/6 reporting sessions back on legacy"), run.stdout());
        }
        JsonPath events = Api.asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=5").then().statusCode(200).extract().jsonPath();
        assertTrue(events.getList("events.reason").contains("error rate above 5% on canary"), events.prettify());
    }

    @Test
    void shouldExitNonZeroNamingTheSessionsThatKeepRunningTheNewPath() throws Exception {
        String prefix = Api.uniqueKey("mixed");
        List<String> healthy = sessionIds(prefix + "-ok", 2, 2);
        List<String> stuck = sessionIds(prefix + "-stuck", 1, 2);
        List<String> all = new ArrayList<>(healthy);
        all.addAll(stuck);
        String key = activeCanaryRollout(all);
        // The stuck daemon reads its flags once (new path) and never again, yet keeps reporting.
        try (FleetSimulator polling = simulator(key, prefix + "-ok", 2, 2, Duration.ofMillis(200), 1);
             FleetSimulator notPolling = simulator(key, prefix + "-stuck", 1, 2, Duration.ofHours(1), 2)) {
            polling.start();
            notPolling.start();
            awaitOnNewPath(key, 6);

            // Long enough for the polling daemons to come back on a busy machine.
            Run run = script(key, 15, "stuck daemons drill");

            assertEquals(1, run.exitCode(), () -> "expected a timeout:\n" + run.stdout() + run.stderr());
            assertTrue(run.stderr().contains("2 session(s) not back after 15s"), run.stderr());
            for (String session : stuck) {
                assertTrue(run.stderr().contains(session + " path=new"), () -> session + " not named:\n" + run.stderr());
            }
            for (String session : healthy) {
                assertFalse(run.stderr().contains(session), () -> session + " came back but is named:\n" + run.stderr());
            }
        }
    }

    private static List<String> sessionIds(String prefix, int hosts, int perHost) {
        return IntStream.range(0, hosts).boxed()
                .flatMap(h -> IntStream.range(0, perHost).mapToObj(s -> prefix + "-h" + h + "-s" + s)).toList();
    }

    /** Active at the canary step, every given session on the canary list (so on the new path). */
    private static String activeCanaryRollout(List<String> canary) {
        String key = Api.uniqueKey("rbm");
        Api.asAdmin().body(Map.of("key", key, "canarySessions", canary)).post("/api/v1/rollouts").then().statusCode(201);
        Api.act(key, "start");
        return key;
    }

    /**
     * @param seed distinct for two fleets on one rollout: report ids derive from the seed, the rollout and the
     *             session's index, so equal seeds would make their reports duplicates of each other
     */
    private FleetSimulator simulator(String key, String prefix, int hosts, int perHost, Duration pollInterval, long seed) {
        SimConfig.Builder config = SimConfig.builder().baseUrl(base.toString()).token(Api.ADMIN).rollout(key)
                .fleet(hosts, perHost).sessionPrefix(prefix).pollMode(PollMode.SESSION).pollInterval(pollInterval)
                .reportInterval(Duration.ofMillis(500)).smokeInterval(Duration.ZERO).seed(seed);
        config.threads = 4;
        return new FleetSimulator(config.build(), MutableClock.INSTANCE);
    }

    private static void awaitOnNewPath(String key, int sessions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonPath fleet;
        do {
            Thread.sleep(200);
            fleet = Api.asAdmin().get("/api/v1/rollouts/" + key + "/sessions").then().statusCode(200).extract().jsonPath();
        } while ((fleet.getInt("sessionsReporting") < sessions || fleet.getInt("sessionsStale") > 0) && System.nanoTime() < deadline);
        assertEquals(sessions, fleet.getInt("sessionsReporting"), fleet.prettify());
        assertEquals(0, fleet.getInt("sessionsStale"), fleet.prettify());
        assertEquals(List.of("new"), fleet.getList("sessions.path").stream().distinct().toList(), fleet.prettify());
    }

    private Run script(String key, int timeoutSeconds, String reason) throws IOException, InterruptedException {
        Path out = Files.createTempFile("rollback-monitor", ".out");
        Path err = Files.createTempFile("rollback-monitor", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), "--url", base.toString(),
                    "--timeout", String.valueOf(timeoutSeconds), "--interval", "1", key, reason)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // The token from the environment, as the runbook advises (arguments show in ps).
            builder.environment().put("ROLLOUT_TOKEN", Api.ADMIN);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds + 20L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the script outlived its own timeout");
            }
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            System.out.print(run.stdout() + run.stderr());
            return run;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
