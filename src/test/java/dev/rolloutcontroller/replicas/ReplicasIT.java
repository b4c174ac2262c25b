package dev.rolloutcontroller.replicas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas of the packaged service on one standalone PostgreSQL, as separate processes: flag
 * changes cross replicas, the evaluator's lease survives a killed, frozen or cut-off leader,
 * webhooks are delivered once, and SIGTERM shuts a replica down gracefully. Every figure is
 * printed as a "[replicas]" line. The pair is reused across scenarios; one that a scenario killed
 * is started again before the next ({@link #bothReplicasRunning()}), so the order only saves time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    /** The issue's bound for a new leader (lease 10 s + renewal 3 s by default). */
    private static final Duration TAKE_OVER_LIMIT = Duration.ofSeconds(15);
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    private static final List<String> FIGURES = new CopyOnWriteArrayList<>();
    private static final HttpClient FLAG_READER = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long after readiness DOWN a load balancer still sends requests (within quarkus.shutdown.delay, 3 s). */
    private static final Duration BALANCER_REACTION = Duration.ofSeconds(2);

    private static EmbeddedPostgres postgres;
    private static Replica a;
    private static Replica b;
    private static HttpServer receiver;
    private static final Map<String, AtomicInteger> DELIVERIES = new ConcurrentHashMap<>();

    @BeforeAll
    static void startDatabaseAndReplicas() throws Exception {
        Path runner = Path.of(System.getProperty("quarkus.app.runner", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.isRegularFile(runner), "the packaged service is missing (run `./mvnw verify`): " + runner);
        Path logs = Files.createDirectories(Path.of("target", "replicas-it"));
        // "rollout-pg-" like every test database, so .ci/run's clean-up finds it after an interrupted build.
        postgres = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("rollout-pg-it-"))
                .setCleanDataDirectory(true).setServerConfig("max_connections", "200").start();
        Runtime.getRuntime().addShutdownHook(new Thread(ReplicasIT::destroyReplicas, "replicas-it-cleanup"));
        // One database role per replica, so a test can cut one replica off the database and let it back.
        sql("create role replica_a login superuser", "create role replica_b login superuser");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String eventId = exchange.getRequestHeaders().getFirst("X-Rollout-Event-Id");
            DELIVERIES.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();

        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        Map<String, String> env = Replica.env(
                "ROLLOUT_EVALUATOR_INTERVAL", "1s",
                "ROLLOUT_WEBHOOKS_POLL_INTERVAL", "1s",
                "ROLLOUT_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1",
                "QUARKUS_LOG_CATEGORY__DEV_ROLLOUTCONTROLLER__LEVEL", "INFO");
        a = new Replica("replica-a", "replica_a", runner, url, logs, env);
        b = new Replica("replica-b", "replica_b", runner, url, logs, env);
        long started = System.nanoTime();
        a.launch();
        b.launch();
        a.awaitReady(START_LIMIT);
        b.awaitReady(START_LIMIT);
        figure("two replicas of the packaged service ready after %d ms (%s, %s)", millisSince(started), a, b);
    }

    @AfterAll
    static void stopEverything() throws IOException {
        destroyReplicas();
        if (receiver != null) {
            receiver.stop(0);
        }
        if (postgres != null) {
            postgres.close();
        }
        System.out.println("[replicas] ---- figures ----");
        FIGURES.forEach(line -> System.out.println("[replicas] " + line));
    }

    /** Also from a shutdown hook: an interrupted build must not leave replicas running. */
    private static void destroyReplicas() {
        for (Replica replica : new Replica[] {a, b}) {
            if (replica != null) {
                replica.destroy();
            }
        }
    }

    @BeforeEach
    void bothReplicasRunning() throws SQLException {
        sql("alter role replica_a login", "alter role replica_b login");
        for (Replica replica : new Replica[] {a, b}) {
            if (!replica.isAlive()) {
                replica.launch();
            }
        }
        a.awaitReady(START_LIMIT);
        b.awaitReady(START_LIMIT);
    }

    @Test
    @Order(1)
    void shouldShowAChangeOnOneReplicaInTheOthersFlagReadsWithinOneSecond() {
        String key = startedRollout(a, "c1");
        awaitFlagVersion(b, key, version(a, key));

        long paused = propagation("pause", key, () -> act(a, key, "pause"), flags -> "PAUSED".equals(flags.getString("status")));
        long canary = propagation("canary list edit", key,
                () -> api(a).body(Map.of("sessions", List.of("c1", "c2"))).put("/api/v1/rollouts/" + key + "/canary-sessions")
                        .then().statusCode(200).extract().jsonPath().getLong("version"),
                flags -> flags.getString("env.TMUX_ORCHESTRATOR_CANARY_SESSIONS").contains("c2"));
        long rolledBack = propagation("rollback", key, () -> act(a, key, "rollback"),
                flags -> "ROLLED_BACK".equals(flags.getString("status")));
        for (long ms : new long[] {paused, canary, rolledBack}) {
            assertTrue(ms <= 1000, "a change on replica A reached replica B's flag reads after " + ms + " ms");
        }
    }

    /** Behind a round-robin balancer a browser's next request lands on the other replica: it stays signed in. */
    @Test
    @Order(2)
    void shouldKeepAConsoleSignInMadeOnOneReplicaOnTheOther() {
        String session = given().baseUri(a.baseUri()).redirects().follow(false)
                .cookie("rc_login_csrf", "replica-test").formParam("_csrf", "replica-test")
                .formParam("token", Replica.ADMIN_TOKEN).post("/ui/login")
                .then().statusCode(303).extract().cookie("rc_console");

        String page = given().baseUri(b.baseUri()).redirects().follow(false).cookie("rc_console", session).get("/ui/")
                .then().statusCode(200).extract().asString();
        assertTrue(page.contains("New rollout"), "replica B did not show the signed-in rollout list");
        FIGURES.add("console sign-in on replica A honoured by replica B");
    }

    @Test
    @Order(3)
    void shouldDeliverEachOfAHundredEventsExactlyOnceAcrossTwoReplicas() throws InterruptedException {
        // One rollout acted on through each replica, both at once: 50 pause/resume events each.
        String onA = startedRollout(a, "c1");
        String onB = startedRollout(b, "c1");
        api(a).body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        "events", List.of("rollout.paused", "rollout.resumed"), "rollouts", List.of(onA, onB)))
                .post("/api/v1/webhooks").then().statusCode(201);
        long started = System.nanoTime();
        Thread throughA = started(() -> pauseAndResume(a, onA, 50));
        Thread throughB = started(() -> pauseAndResume(b, onB, 50));
        throughA.join();
        throughB.join();
        long actionsMs = millisSince(started);
        List<Long> eventIds = new ArrayList<>();
        for (String key : List.of(onA, onB)) {
            JsonPath events = api(a).get("/api/v1/rollouts/" + key + "/events?limit=200").then().statusCode(200)
                    .extract().jsonPath();
            for (Map<String, Object> event : events.<Map<String, Object>>getList("events")) {
                String type = String.valueOf(event.get("type"));
                if (type.equals("rollout.paused") || type.equals("rollout.resumed")) {
                    eventIds.add(((Number) event.get("id")).longValue());
                }
            }
        }
        assertEquals(100, eventIds.size(), "one event per action");
        await("every event delivered", Duration.ofSeconds(60),
                () -> eventIds.stream().allMatch(id -> DELIVERIES.containsKey(id.toString())));
        long deliveredMs = millisSince(started);
        Replica.sleep(3000); // time for a duplicate, were there one
        long duplicates = eventIds.stream().filter(id -> DELIVERIES.get(id.toString()).get() > 1).count();
        figure("webhooks: 100 events from actions on both replicas at once (sent in %d ms), all delivered %d ms "
                + "after the first action, %d delivered more than once", actionsMs, deliveredMs, duplicates);
        assertEquals(0, duplicates, "each event is delivered exactly once");
    }

    @Test
    @Order(4)
    void shouldReplaceAFrozenLeaderWhichAppliesNothingOnceWoken() {
        Replica leader = awaitLeader();
        Replica follower = peer(leader);
        String breached = startedRollout(follower, "c1");
        String healthy = startedRollout(follower, "c1");
        long oldEpoch = lease().epoch();

        long frozen = System.nanoTime();
        leader.freeze();
        // Taken once the signal is delivered: a pass the leader began before it may still journal under the old epoch.
        Instant frozenAt = Instant.now();
        injectBreach(follower, breached);
        long ledMs = awaitHolder(follower, frozen);
        long rolledBackMs = awaitStatus(follower, breached, "ROLLED_BACK", frozen);
        long newEpoch = lease().epoch();
        figure("SIGSTOP of the leader: the other leads after %d ms (epoch %d -> %d), rolls back a breach injected "
                + "after the freeze %d ms after it", ledMs, oldEpoch, newEpoch, rolledBackMs);
        assertTrue(ledMs <= TAKE_OVER_LIMIT.toMillis() && rolledBackMs <= TAKE_OVER_LIMIT.toMillis());
        assertEquals(newEpoch, journal(follower, breached).getLong("evaluations[0].leaseEpoch"),
                "the rollback is journalled under the new leader's epoch");

        leader.thaw();
        // A few of the woken replica's evaluation intervals and lease renewals.
        Replica.sleep(5000);
        long underOldEpochAfterFreeze = countDecisions(follower, List.of(breached, healthy), oldEpoch, frozenAt);
        boolean stillLeads = leadsByHealth(leader);
        boolean saidSo = leader.logText().contains("lost evaluator leadership");
        figure("SIGCONT: the woken replica journalled %d evaluations under its old epoch %d after the freeze, "
                + "reports leader=%s, logged the loss: %s; the lease stays at epoch %d", underOldEpochAfterFreeze,
                oldEpoch, stillLeads, saidSo, lease().epoch());
        assertEquals(0, underOldEpochAfterFreeze, "a woken former leader applies nothing");
        assertFalse(stillLeads, "the woken replica follows");
        assertTrue(saidSo, "the woken replica logs that it lost leadership");
        assertEquals(newEpoch, lease().epoch(), "the woken replica does not take the lease back");
    }

    @Test
    @Order(5)
    void shouldReplaceALeaderCutOffFromTheDatabase() throws SQLException {
        Replica leader = awaitLeader();
        Replica other = peer(leader);
        long oldEpoch = lease().epoch();
        long cut = System.nanoTime();
        sql("alter role " + leader.databaseRole + " nologin",
                "select pg_terminate_backend(pid) from pg_stat_activity where usename = '" + leader.databaseRole + "'");
        long ledMs = awaitHolder(other, cut);
        figure("database connections of the leader cut (pg_terminate_backend, logins refused): the other leads after "
                + "%d ms (epoch %d -> %d)", ledMs, oldEpoch, lease().epoch());
        assertTrue(ledMs <= TAKE_OVER_LIMIT.toMillis());

        sql("alter role " + leader.databaseRole + " login");
        await("the cut-off replica ready again", Duration.ofSeconds(60), () -> leader.readinessStatus() == 200);
        assertFalse(leadsByHealth(leader), "the replica cut off follows once back");
    }

    @Test
    @Order(6)
    void shouldReplaceAKilledLeaderWhichRollsBackABreachInjectedAfterTheKill() {
        Replica leader = awaitLeader();
        Replica survivor = peer(leader);
        String key = startedRollout(survivor, "c1");
        long oldEpoch = lease().epoch();

        long killed = System.nanoTime();
        leader.kill();
        injectBreach(survivor, key);
        long ledMs = awaitHolder(survivor, killed);
        long rolledBackMs = awaitStatus(survivor, key, "ROLLED_BACK", killed);
        figure("kill -9 of the leader: the other leads after %d ms (epoch %d -> %d), rolls back a breach injected "
                + "after the kill %d ms after it", ledMs, oldEpoch, lease().epoch(), rolledBackMs);
        assertTrue(ledMs <= TAKE_OVER_LIMIT.toMillis() && rolledBackMs <= TAKE_OVER_LIMIT.toMillis());
    }

    @Test
    @Order(7)
    void shouldShutDownGracefullyOnSigterm() throws Exception {
        Replica target = awaitLeader();
        Replica other = peer(target);
        String key = startedRollout(target, "c1");
        String actionsKey = startedRollout(target, "c1");

        SseWatch sse = SseWatch.open(target, key);
        await("the stream's first event", Duration.ofSeconds(10), () -> sse.events.get() > 0);
        // The load stands for a load balancer: it keeps sending until it would have noticed readiness DOWN.
        AtomicBoolean running = new AtomicBoolean(true);
        Outcomes reads = new Outcomes();
        Outcomes actions = new Outcomes();
        AtomicLong readinessDownAt = new AtomicLong();
        AtomicInteger readsServedAfterReadinessDown = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            load.add(started(() -> {
                while (running.get()) {
                    int status = reads.call(target, "GET", "/api/v1/rollouts/" + key + "/flags");
                    if (status == 200 && readinessDownAt.get() != 0) {
                        readsServedAfterReadinessDown.incrementAndGet();
                    }
                }
            }));
        }
        load.add(started(() -> {
            int i = 0;
            while (running.get()) {
                actions.call(target, "POST", "/api/v1/rollouts/" + actionsKey + "/" + (i++ % 2 == 0 ? "pause" : "resume"));
            }
        }));
        Replica.sleep(500);

        long term = System.nanoTime();
        java.util.concurrent.CompletableFuture<Long> exitTime = target.exitTime();
        target.terminate();
        await("readiness DOWN", Duration.ofSeconds(10), () -> target.readinessStatus() == 503 || !target.isAlive());
        readinessDownAt.set(System.nanoTime());
        long readinessMs = millisSince(term);
        long ledMs = awaitHolder(other, term);
        Replica.sleep(Math.max(0, BALANCER_REACTION.toMillis() - millisSince(readinessDownAt.get())));
        running.set(false);
        for (Thread thread : load) {
            thread.join(15_000);
        }
        boolean exited = target.waitFor(Duration.ofSeconds(15));
        long exitMs = exited ? (exitTime.get() - term) / 1_000_000 : millisSince(term);
        sse.close();

        figure("SIGTERM: readiness DOWN after %d ms; %d flag reads served in the 2 s after that; SSE got '%s' after %d ms and ended: %s; "
                        + "lease released, the other leads after %d ms; exit after %d ms", readinessMs,
                readsServedAfterReadinessDown.get(), sse.retryLine, sse.retryAt == 0 ? -1 : (sse.retryAt - term) / 1_000_000,
                sse.ended.get(), ledMs, exitMs);
        figure("SIGTERM under load: flag reads %s; actions %s", reads, actions);
        assertTrue(exited && exitMs <= 10_000, "the process exits within 10 s (took " + exitMs + " ms)");
        assertTrue(readinessMs < exitMs && readsServedAfterReadinessDown.get() > 0,
                "readiness goes DOWN first, while requests are still served");
        assertEquals(0, reads.broken.get() + actions.broken.get() + reads.refused.get() + actions.refused.get(),
                "every request sent before a balancer could notice readiness DOWN completes");
        assertTrue(reads.completed.get() > 0 && actions.completed.get() > 0);
        assertTrue(sse.retryLine != null && sse.retryLine.startsWith("retry:") && sse.ended.get(),
                "SSE clients get a retry: hint, then the stream ends");
        assertTrue(target.logText().contains("released the evaluator lease"), "the lease is released, not left to expire");
        assertTrue(ledMs < 5000, "released, the lease is taken at the other's next renewal (took " + ledMs + " ms)");
    }

    // ---- the scenarios' building blocks ----

    /** Runs a change on replica A and measures until replica B's flag reads show it. */
    private static long propagation(String what, String key, java.util.function.LongSupplier change,
                                    java.util.function.Predicate<JsonPath> visible) {
        long version = change.getAsLong();
        long changed = System.nanoTime();
        JsonPath flags = awaitFlagVersion(b, key, version);
        long ms = millisSince(changed);
        assertTrue(visible.test(flags), what + " visible in replica B's flags: " + flags.prettify());
        figure("%s on replica A in replica B's flag reads after %d ms (version %d)", what, ms, version);
        return ms;
    }

    /** Polls as a daemon would, with a plain HTTP client so the measurement is not the test's own overhead. */
    private static JsonPath awaitFlagVersion(Replica on, String key, long version) {
        HttpRequest read = HttpRequest.newBuilder(on.uri("/api/v1/rollouts/" + key + "/flags"))
                .header("Authorization", "Bearer " + Replica.ADMIN_TOKEN).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                HttpResponse<String> response = FLAG_READER.send(read, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                if (JSON.readTree(response.body()).path("version").asLong() >= version) {
                    return JsonPath.from(response.body());
                }
                Replica.sleep(5);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError(on + " never showed version " + version + " of " + key);
    }

    private static RequestSpecification api(Replica on) {
        return given().baseUri(on.baseUri()).header("Authorization", "Bearer " + Replica.ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    /** A rollout started at its canary step (forced past the gates a fresh rollout has not passed). */
    private static String startedRollout(Replica on, String... canary) {
        String key = "it-" + UUID.randomUUID().toString().substring(0, 8);
        api(on).body(Map.of("key", key, "canarySessions", List.of(canary))).post("/api/v1/rollouts").then().statusCode(201);
        api(on).body(Map.of("force", true, "reason", "replica test")).post("/api/v1/rollouts/" + key + "/start")
                .then().statusCode(200);
        return key;
    }

    private static long act(Replica on, String key, String action) {
        return api(on).body(Map.of("reason", "replica test")).post("/api/v1/rollouts/" + key + "/" + action)
                .then().statusCode(200).extract().jsonPath().getLong("version");
    }

    private static void pauseAndResume(Replica on, String key, int actions) {
        for (int i = 0; i < actions; i++) {
            act(on, key, i % 2 == 0 ? "pause" : "resume");
        }
    }

    private static long version(Replica on, String key) {
        return api(on).get("/api/v1/rollouts/" + key).then().statusCode(200).extract().jsonPath().getLong("version");
    }

    /** Ten sessions' last minute on the new path with a 30% error rate: the error-rate trigger's breach. */
    private static void injectBreach(Replica on, String key) {
        Instant end = Instant.now().minusSeconds(1);
        List<Map<String, Object>> reports = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            reports.add(Map.ofEntries(
                    Map.entry("reportId", UUID.randomUUID().toString()), Map.entry("sessionId", "s" + i),
                    Map.entry("path", "new"), Map.entry("periodStart", end.minusSeconds(60).toString()),
                    Map.entry("periodEnd", end.toString()), Map.entry("cycles", 1000), Map.entry("errors", 300),
                    Map.entry("cycleTimeP50Ms", 20.0), Map.entry("cycleTimeP95Ms", 40.0), Map.entry("cycleTimeMaxMs", 80.0),
                    Map.entry("memoryBytes", 200L << 20), Map.entry("cpuPercent", 5.0)));
        }
        api(on).body(Map.of("reports", reports)).post("/api/v1/rollouts/" + key + "/reports").then().statusCode(202);
    }

    private static long awaitStatus(Replica on, String key, String status, long since) {
        await(key + " " + status, TAKE_OVER_LIMIT.plusSeconds(10),
                () -> status.equals(api(on).get("/api/v1/rollouts/" + key).then().extract().jsonPath().getString("status")));
        return millisSince(since);
    }

    private static JsonPath journal(Replica on, String key) {
        return api(on).get("/api/v1/rollouts/" + key + "/evaluations?limit=1").then().statusCode(200).extract().jsonPath();
    }

    /** Evaluations journalled under an epoch after a moment, for some rollouts. */
    private static long countDecisions(Replica on, List<String> keys, long epoch, Instant after) {
        long count = 0;
        for (String key : keys) {
            JsonPath page = api(on).get("/api/v1/rollouts/" + key + "/evaluations?limit=200").then().statusCode(200)
                    .extract().jsonPath();
            for (Map<String, Object> e : page.<Map<String, Object>>getList("evaluations")) {
                Object leaseEpoch = e.get("leaseEpoch");
                if (leaseEpoch != null && ((Number) leaseEpoch).longValue() == epoch
                        && Instant.parse(String.valueOf(e.get("evaluatedAt"))).isAfter(after)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean leadsByHealth(Replica on) {
        JsonPath health = given().baseUri(on.baseUri()).get("/q/health/ready").then().extract().jsonPath();
        return health.getBoolean("checks.find { it.name == 'evaluator-lease' }.data.leader");
    }

    /** The lease row as the database sees it (its clock decides liveness). */
    record Lease(String holder, long epoch, boolean live) {
        boolean heldBy(Replica replica) {
            return live && holder != null && holder.startsWith(replica.pid() + "@");
        }
    }

    private static Lease lease() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "select holder, epoch, expires_at > clock_timestamp() from evaluator_lease where name = 'evaluator'")) {
            row.next();
            return new Lease(row.getString(1), row.getLong(2), row.getBoolean(3));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Replica awaitLeader() {
        await("a leader", TAKE_OVER_LIMIT, () -> lease().heldBy(a) || lease().heldBy(b));
        return lease().heldBy(a) ? a : b;
    }

    private static long awaitHolder(Replica expected, long since) {
        await(expected.name + " leading", TAKE_OVER_LIMIT.plusSeconds(10), () -> lease().heldBy(expected));
        return millisSince(since);
    }

    private static Replica peer(Replica replica) {
        return replica == a ? b : a;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Replica.sleep(50);
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static void figure(String format, Object... args) {
        String line = String.format(format, args);
        FIGURES.add(line);
        System.out.println("[replicas] " + line);
    }

    /**
     * Outcomes of requests during a shutdown, each on its own connection: completed (any answer but
     * 503), refused before starting (connection refused, or 503 from a server no longer taking
     * requests), or broken after starting (any other I/O failure).
     */
    static final class Outcomes {
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger broken = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();

        int call(Replica on, String method, String path) {
            HttpURLConnection connection = null;
            try {
                connection = (HttpURLConnection) on.uri(path).toURL().openConnection();
                connection.setRequestMethod(method);
                connection.setRequestProperty("Authorization", "Bearer " + Replica.ADMIN_TOKEN);
                connection.setRequestProperty("Connection", "close");
                connection.setConnectTimeout(2000);
                connection.setReadTimeout(10_000);
                if (method.equals("POST")) {
                    connection.setDoOutput(true);
                    connection.setRequestProperty("Content-Type", "application/json");
                    connection.getOutputStream().write("{\"reason\":\"shutdown test\"}".getBytes(StandardCharsets.UTF_8));
                }
                int status = connection.getResponseCode();
                try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    if (body != null) {
                        body.readAllBytes();
                    }
                }
                (status == 503 ? refused : completed).incrementAndGet();
                return status;
            } catch (ConnectException e) {
                refused.incrementAndGet();
                Replica.sleep(20);
                return -1;
            } catch (IOException e) {
                broken.incrementAndGet();
                failures.add(e.toString());
                return -1;
            } finally {
                if (connection != null) {
                    connection.disconnect();
                }
            }
        }

        @Override
        public String toString() {
            return completed + " completed, " + refused + " refused before starting, " + broken + " broken" +
                    (failures.isEmpty() ? "" : " " + failures.subList(0, Math.min(3, failures.size())));
        }
    }

    /** A flag stream read line by line on its own thread: counts events, notes the retry: hint and the end. */
    static final class SseWatch {
        final AtomicInteger events = new AtomicInteger();
        final AtomicBoolean ended = new AtomicBoolean();
        volatile String retryLine;
        volatile long retryAt;
        private HttpURLConnection connection;

        static SseWatch open(Replica on, String key) throws IOException {
            SseWatch watch = new SseWatch();
            watch.connection = (HttpURLConnection) on.uri("/api/v1/rollouts/" + key + "/flags/stream").toURL().openConnection();
            watch.connection.setRequestProperty("Authorization", "Bearer " + Replica.ADMIN_TOKEN);
            watch.connection.setRequestProperty("Accept", "text/event-stream");
            watch.connection.setReadTimeout(20_000);
            BufferedReader lines = new BufferedReader(new InputStreamReader(watch.connection.getInputStream(), StandardCharsets.UTF_8));
            started(() -> {
                try {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            watch.events.incrementAndGet();
                        } else if (line.startsWith("retry:")) {
                            watch.retryLine = line;
                            watch.retryAt = System.nanoTime();
                        }
                    }
                    watch.ended.set(true);
                } catch (IOException e) {
                    // A reset rather than an orderly end: ended stays false.
                }
            });
            return watch;
        }

        void close() {
            connection.disconnect();
        }
    }
}
