package dev.rolloutcontroller.sim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rolloutcontroller.domain.GateSpec;
import dev.rolloutcontroller.domain.PlanSpec;
import dev.rolloutcontroller.domain.StepSpec;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.sim.SimConfig.PollMode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;

/**
 * The end-to-end rollout drill: the checklist's plan with soaks of seconds ({@link DrillPlan}), sign-offs given
 * with role tokens, a simulated fleet, and the four scenarios the checklist must survive, each on its own rollout:
 * <ol>
 *   <li>healthy: canary → gradual → full → COMPLETED by the evaluator alone (plus sign-offs), every gate PASS in the
 *       journal at each advance;</li>
 *   <li>regression at 50%: a 6% new-path error rate is rolled back by the evaluator, every session is back on legacy
 *       within one evaluation interval + 1 s of the decision, and no report is lost;</li>
 *   <li>the hold band: a 1% error rate neither advances nor rolls back (the error-rate gate FAILs, no trigger fires);
 *       after the fix the rollout advances;</li>
 *   <li>no data: with nothing reporting the rollout holds, never advances, never rolls back.</li>
 * </ol>
 * Each scenario reports named checks that pass or fail with what was seen. A {@link Driver} decides how time passes:
 * in real time against a packaged service whose own evaluator runs ({@code bench/drill.sh}), or in steps of a clock
 * a test moves, running evaluation passes itself.
 */
public final class Drill {

    /** How time passes in a drill. */
    interface Driver {
        void begin(FleetSimulator simulator);

        void end(FleetSimulator simulator) throws InterruptedException;

        /** Lets time pass until the condition holds (true) or the timeout has passed (false). */
        boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException;

        Clock clock();
    }

    /** A packaged service with its own evaluator, and the simulator on its own threads. */
    static final class RealTime implements Driver {
        @Override
        public void begin(FleetSimulator simulator) {
            simulator.start();
        }

        @Override
        public void end(FleetSimulator simulator) throws InterruptedException {
            simulator.stop();
        }

        @Override
        public boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(200);
            }
            return condition.getAsBoolean();
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }
    }

    /**
     * Time moved in steps: each step advances the clock, lets the fleet do what is due, and runs an evaluation pass of
     * the rollout every {@code evaluationInterval}, so nothing waits on the wall clock.
     */
    static final class Stepped implements Driver {
        private final Clock clock;
        private final Consumer<Duration> advance;
        private final Duration step;
        private final Duration evaluationInterval;
        private final Consumer<String> evaluate;
        private FleetSimulator simulator;
        private Duration sinceEvaluation = Duration.ZERO;

        Stepped(Clock clock, Consumer<Duration> advance, Duration step, Duration evaluationInterval, Consumer<String> evaluate) {
            this.clock = clock;
            this.advance = advance;
            this.step = step;
            this.evaluationInterval = evaluationInterval;
            this.evaluate = evaluate;
        }

        @Override
        public void begin(FleetSimulator fleet) {
            simulator = fleet;
            simulator.tick();
        }

        @Override
        public void end(FleetSimulator fleet) throws InterruptedException {
            fleet.finish();
        }

        @Override
        public boolean await(Duration timeout, BooleanSupplier condition) {
            for (Duration waited = Duration.ZERO; waited.compareTo(timeout) < 0; waited = waited.plus(step)) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                advance.accept(step);
                simulator.tick();
                sinceEvaluation = sinceEvaluation.plus(step);
                if (sinceEvaluation.compareTo(evaluationInterval) >= 0) {
                    evaluate.accept(simulator.config().rollout());
                    sinceEvaluation = Duration.ZERO;
                }
            }
            return condition.getAsBoolean();
        }

        @Override
        public Clock clock() {
            return clock;
        }
    }

    /**
     * @param evaluationInterval how often the service evaluates (must match its rollout.evaluator.interval)
     * @param canary             sessions on the canary list (session 0 of the first hosts)
     * @param hold               how long the hold-band and no-data scenarios watch the rollout not move
     * @param timeout            the longest wait for any one expected transition
     */
    record Settings(URI baseUrl, String adminToken, Duration evaluationInterval, Duration soak, Duration window, int hosts,
                    int sessionsPerHost, int canary, double cyclesPerSecond, PollMode pollMode, Duration pollInterval,
                    Duration reportInterval, Duration hold, Duration timeout, long seed, List<String> scenarios) {

        static final List<String> ALL = List.of("healthy", "regression", "hold-band", "no-data");

        static Settings defaults(URI baseUrl, String adminToken) {
            return new Settings(baseUrl, adminToken, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30), 10, 10, 5,
                    50, PollMode.SESSION, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30),
                    Duration.ofMinutes(3), 1, ALL);
        }
    }

    /** One named expectation of a scenario, with what was seen. */
    record Check(String name, boolean passed, String detail) {
    }

    record ScenarioResult(String scenario, String rollout, boolean passed, double seconds, List<Check> checks,
                          SimSummary simulation) {
    }

    /** @param settings the drill's settings, the admin token left out */
    record DrillReport(boolean passed, Map<String, Object> settings, List<ScenarioResult> scenarios) {
    }

    static final String GATE_PASS = "PASS";

    private final Settings settings;
    private final Driver driver;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String runId;
    private final PlanSpec plan;
    private final Map<String, String> signOffTokens = new LinkedHashMap<>();
    private String operatorToken;
    private String daemonToken;

    Drill(Settings settings, Driver driver) {
        this.settings = settings;
        this.driver = driver;
        // Unique per drill, so repeated drills against one service never share a rollout or token name.
        this.runId = Long.toString(driver.clock().millis(), 36) + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        this.plan = DrillPlan.spec(settings.soak(), settings.window(), true);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        DrillReport report = new Drill(settings, new RealTime()).run();
        String json = SimHttp.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        System.out.println(json);
        for (ScenarioResult scenario : report.scenarios()) {
            System.err.printf("%-10s %s in %.0f s%n", scenario.scenario(), scenario.passed() ? "PASS" : "FAIL", scenario.seconds());
            scenario.checks().stream().filter(c -> !c.passed()).forEach(c -> System.err.println("    failed: " + c.name() + ": " + c.detail()));
        }
        System.exit(report.passed() ? 0 : 1);
    }

    DrillReport run() throws InterruptedException {
        daemonToken = token("drill-daemons-" + runId, "reader", "reporter");
        operatorToken = token("drill-operator-" + runId, "operator");
        for (String role : Vocabulary.SIGN_OFF_ROLES) {
            signOffTokens.put(role, token("drill-" + role + "-" + runId, role));
        }
        List<ScenarioResult> results = new ArrayList<>();
        for (String scenario : settings.scenarios()) {
            results.add(switch (scenario) {
                case "healthy" -> healthy();
                case "regression" -> regression();
                case "hold-band" -> holdBand();
                case "no-data" -> noData();
                default -> throw new IllegalArgumentException("unknown scenario " + scenario + "; one of " + Settings.ALL);
            });
        }
        Map<String, Object> shown = SimHttp.JSON.convertValue(settings, new TypeReference<LinkedHashMap<String, Object>>() { });
        shown.remove("adminToken");
        return new DrillReport(results.stream().allMatch(ScenarioResult::passed), shown, results);
    }

    // ---- the scenarios

    ScenarioResult healthy() throws InterruptedException {
        Instant started = driver.clock().instant();
        String key = createRollout("healthy");
        FleetSimulator fleet = fleet(key, Regression.NONE, true);
        List<Check> checks = new ArrayList<>();
        driver.begin(fleet);
        startWithCanarySignOffs(key);
        boolean gradual = awaitStep(key, "ACTIVE", "gradual");
        for (String role : Vocabulary.SIGN_OFF_ROLES) {
            signOff(key, role, "full");
        }
        boolean full = gradual && awaitStep(key, "ACTIVE", "full");
        boolean completed = full && awaitStep(key, "COMPLETED", "full");
        driver.await(settle(), () -> false);
        driver.end(fleet);
        SimSummary summary = fleet.summary();

        checks.add(new Check("reached COMPLETED through gradual and full", completed,
                "gradual " + gradual + ", full " + full + ", completed " + completed + "; now " + describe(key)));
        List<SimSummary.Transition> advances = summary.transitions().stream().filter(t -> t.type().contains("advanced")).toList();
        checks.add(new Check("every advance by the evaluator, none forced",
                advances.size() == 3 && advances.stream().allMatch(t -> t.type().equals("rollout.advanced") && t.actor().equals("evaluator")),
                advances.stream().map(t -> t.type() + " by " + t.actor() + " to " + t.step() + "/" + t.status()).toList().toString()));
        List<JsonNode> advanceEntries = journal(key).stream().filter(e -> e.path("action").asText().equals("ADVANCE")).toList();
        List<String> notPassed = new ArrayList<>();
        for (JsonNode entry : advanceEntries) {
            for (String gates : List.of("exitGates", "entryGates")) {
                entry.path(gates).forEach(g -> {
                    if (!g.path("verdict").asText().equals(GATE_PASS)) {
                        notPassed.add(entry.path("step").asText() + " " + g.path("kind").asText() + " " + g.path("verdict").asText());
                    }
                });
            }
        }
        checks.add(new Check("every gate PASS in the journal at each advance", advanceEntries.size() == 3 && notPassed.isEmpty(),
                advanceEntries.size() + " advancing evaluations; not passed: " + notPassed));
        checks.add(noRollback(summary));
        checks.add(new Check("every session on the new path at the end", summary.sessionsOnNewPathAtEnd() == fleet.sessions(),
                summary.sessionsOnNewPathAtEnd() + " of " + fleet.sessions()));
        checks.add(noReportLost(summary));
        checks.add(noRequestErrors(summary));
        return result("healthy", key, started, checks, summary);
    }

    ScenarioResult regression() throws InterruptedException {
        Instant started = driver.clock().instant();
        String key = createRollout("regression");
        FleetSimulator fleet = fleet(key, Regression.NONE.at(null, 50).withErrorRate(0.06), true);
        List<Check> checks = new ArrayList<>();
        driver.begin(fleet);
        startWithCanarySignOffs(key);
        boolean gradual = awaitStep(key, "ACTIVE", "gradual");
        boolean rolledBack = gradual && driver.await(settings.timeout(), () -> status(key).equals("ROLLED_BACK"));
        driver.await(settle(), () -> false);
        driver.end(fleet);
        SimSummary summary = fleet.summary();
        SimSummary.RegressionTiming timing = summary.regression();

        checks.add(new Check("a 6% new-path error rate injected at 50%", timing != null && timing.percentageAtInjection() == 50,
                timing == null ? "never injected (gradual reached: " + gradual + ")"
                        : "injected at " + timing.percentageAtInjection() + "% with " + timing.sessionsOnNewAtInjection() + " sessions on new"));
        checks.add(new Check("rolled back by the evaluator from gradual",
                rolledBack && timing != null && "rollout.rolled-back".equals(timing.decision()) && "evaluator".equals(timing.decisionActor())
                        && summary.transitions().stream().anyMatch(t -> t.type().equals("rollout.rolled-back") && "gradual".equals(t.step())),
                "now " + describe(key) + "; decision " + (timing == null ? null : timing.decision() + " by " + timing.decisionActor())));
        JsonNode rollback = journal(key).stream().filter(e -> e.path("action").asText().equals("ROLLBACK")).findFirst().orElse(null);
        List<String> fired = rollback == null ? List.of() : StreamSupport.stream(rollback.path("triggers").spliterator(), false)
                .filter(t -> t.path("fired").asBoolean()).map(t -> t.path("metric").asText()).toList();
        checks.add(new Check("the journal names the error-rate trigger", fired.contains("error_rate"),
                rollback == null ? "no ROLLBACK in the journal" : "fired: " + fired + "; " + rollback.path("reason").asText()));
        double limit = seconds(settings.evaluationInterval()) + 1;
        Double toLegacy = timing == null ? null : timing.decisionToLastLegacySeconds();
        checks.add(new Check("every session on legacy within one evaluation interval + 1 s of the decision",
                toLegacy != null && toLegacy <= limit && summary.sessionsOnNewPathAtEnd() == 0,
                "decision → last session on legacy: " + toLegacy + " s (limit " + limit + " s); injection → decision: "
                        + (timing == null ? null : timing.injectionToDecisionSeconds()) + " s; on new at the end: "
                        + summary.sessionsOnNewPathAtEnd()));
        checks.add(noReportLost(summary));
        checks.add(noRequestErrors(summary));
        return result("regression", key, started, checks, summary);
    }

    ScenarioResult holdBand() throws InterruptedException {
        Instant started = driver.clock().instant();
        String key = createRollout("hold-band");
        FleetSimulator fleet = fleet(key, Regression.NONE.at(null, 50).withErrorRate(0.01), true);
        List<Check> checks = new ArrayList<>();
        driver.begin(fleet);
        startWithCanarySignOffs(key);
        for (String role : Vocabulary.SIGN_OFF_ROLES) {
            signOff(key, role, "full");
        }
        boolean gradual = awaitStep(key, "ACTIVE", "gradual");
        boolean moved = !gradual || driver.await(settings.hold(), () -> !isAt(key, "ACTIVE", "gradual"));
        List<JsonNode> held = journal(key).stream()
                .filter(e -> e.path("step").asText().equals("gradual") && e.path("status").asText().equals("ACTIVE")).toList();
        fleet.fixRegression();
        Instant fixed = driver.clock().instant();
        boolean advanced = !moved && awaitStep(key, "ACTIVE", "full");
        driver.await(settle(), () -> false);
        driver.end(fleet);
        SimSummary summary = fleet.summary();

        long acted = held.stream().filter(e -> !e.path("action").asText().equals("NONE")).count();
        long minimum = Math.max(3, settings.hold().dividedBy(settings.evaluationInterval()) / 2);
        checks.add(new Check("with 1% errors at 50%: neither advance nor rollback for " + seconds(settings.hold()) + " s",
                gradual && !moved && acted == 0 && held.size() >= minimum,
                "gradual reached " + gradual + ", moved " + moved + "; " + held.size() + " evaluations at gradual (at least "
                        + minimum + " expected), " + acted + " acted" + (gradual ? "" : "; now " + describe(key))));
        int errorGate = gateIndex("gradual", "error_rate");
        String verdict = held.isEmpty() ? null : StreamSupport.stream(held.get(0).path("exitGates").spliterator(), false)
                .filter(g -> g.path("index").asInt() == errorGate).map(g -> g.path("verdict").asText()).findFirst().orElse(null);
        long triggersFired = held.stream().flatMap(e -> StreamSupport.stream(e.path("triggers").spliterator(), false))
                .filter(t -> t.path("fired").asBoolean()).count();
        checks.add(new Check("the error-rate gate FAILs and no trigger fires", "FAIL".equals(verdict) && triggersFired == 0,
                "error-rate gate at the end of the hold: " + verdict + "; triggers fired: " + triggersFired));
        SimSummary.Transition toFull = summary.transitions().stream()
                .filter(t -> t.type().equals("rollout.advanced") && "full".equals(t.step())).findFirst().orElse(null);
        checks.add(new Check("after the fix the evaluator advances to full",
                advanced && toFull != null && toFull.actor().equals("evaluator") && !Instant.parse(toFull.time()).isBefore(fixed),
                toFull == null ? "not advanced; now " + describe(key)
                        : "advanced by " + toFull.actor() + " " + seconds(Duration.between(fixed, Instant.parse(toFull.time()))) + " s after the fix"));
        checks.add(noRollback(summary));
        checks.add(noReportLost(summary));
        checks.add(noRequestErrors(summary));
        return result("hold-band", key, started, checks, summary);
    }

    ScenarioResult noData() throws InterruptedException {
        Instant started = driver.clock().instant();
        String key = createRollout("no-data");
        FleetSimulator fleet = fleet(key, Regression.NONE, false);
        List<Check> checks = new ArrayList<>();
        driver.begin(fleet);
        startWithCanarySignOffs(key);
        boolean moved = driver.await(settings.hold(), () -> !isAt(key, "ACTIVE", "canary"));
        driver.end(fleet);
        SimSummary summary = fleet.summary();

        List<JsonNode> entries = journal(key);
        long acted = entries.stream().filter(e -> !e.path("action").asText().equals("NONE")).count();
        long minimum = Math.max(3, settings.hold().dividedBy(settings.evaluationInterval()) / 2);
        checks.add(new Check("nothing reports: the rollout holds at canary, never advances, never rolls back",
                !moved && acted == 0 && entries.size() >= minimum && summary.transitions().stream().noneMatch(t -> !t.type().equals("rollout.started")),
                "moved " + moved + "; " + entries.size() + " evaluations (at least " + minimum + " expected), " + acted + " acted; now "
                        + describe(key)));
        List<Integer> onReports = reportGateIndexes("canary");
        List<String> judged = new ArrayList<>();
        long breached = 0;
        for (JsonNode entry : entries) {
            entry.path("exitGates").forEach(g -> {
                if (onReports.contains(g.path("index").asInt()) && !g.path("verdict").asText().equals("PENDING")) {
                    judged.add(g.path("description").asText() + " " + g.path("verdict").asText());
                }
            });
            breached += StreamSupport.stream(entry.path("triggers").spliterator(), false)
                    .filter(t -> t.path("breached").asBoolean() || t.path("fired").asBoolean()).count();
        }
        checks.add(new Check("every metric gate on reports stays PENDING and no trigger is breached", judged.isEmpty() && breached == 0,
                "judged without data: " + judged.stream().distinct().toList() + "; breaches: " + breached));
        checks.add(new Check("nothing was reported", summary.reports().generated() == 0,
                summary.reports().generated() + " reports"));
        checks.add(noRequestErrors(summary));
        return result("no-data", key, started, checks, summary);
    }

    // ---- shared checks

    private static Check noRollback(SimSummary summary) {
        List<String> back = summary.transitions().stream()
                .filter(t -> t.type().contains("rolled-back") || t.type().contains("stepped-back")).map(SimSummary.Transition::type).toList();
        return new Check("never rolled or stepped back", back.isEmpty(), back.toString());
    }

    private static Check noReportLost(SimSummary summary) {
        SimSummary.Reports r = summary.reports();
        return new Check("no report lost", r.generated() > 0 && r.sent() == r.generated() && r.notDelivered() == 0
                && r.stored() != null && r.stored() == r.sent() && r.lost() == 0,
                r.generated() + " generated, " + r.sent() + " acknowledged (" + r.accepted() + " accepted, " + r.duplicates()
                        + " duplicates), " + r.stored() + " read back as stored, " + r.notDelivered() + " undelivered");
    }

    private static Check noRequestErrors(SimSummary summary) {
        return new Check("no failed request", summary.errors() == 0, summary.errors() + " failed: " + summary.requests());
    }

    // ---- the rollout, through the API

    private String createRollout(String scenario) {
        String key = "drill-" + scenario + "-" + runId;
        List<String> canary = new ArrayList<>();
        for (int h = 0; h < settings.canary(); h++) {
            canary.add(sessionId(h % settings.hosts(), h / settings.hosts()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("description", "drill: " + scenario);
        body.put("canarySessions", canary);
        body.put("plan", plan);
        call("POST", "/api/v1/rollouts", body, settings.adminToken(), 201);
        return key;
    }

    /** Starts at the canary and gives the sign-offs the canary's exit and the gradual's entry wait for. */
    private void startWithCanarySignOffs(String key) {
        signOff(key, "devops", "canary");
        call("POST", "/api/v1/rollouts/" + key + "/start", Map.of("reason", "drill"), operatorToken, 200);
        signOff(key, "product", "canary");
        signOff(key, "tech-lead", "gradual");
    }

    private void signOff(String key, String role, String step) {
        call("POST", "/api/v1/rollouts/" + key + "/sign-offs", Map.of("role", role, "step", step, "comment", "drill"),
                signOffTokens.get(role), 201, 200);
    }

    private boolean awaitStep(String key, String status, String step) throws InterruptedException {
        return driver.await(settings.timeout(), () -> isAt(key, status, step));
    }

    /** Read from the fleet view of the flags, which the service serves from memory. */
    private boolean isAt(String key, String status, String step) {
        JsonNode flags = fleetView(key);
        return flags.path("status").asText().equals(status) && flags.path("step").asText().equals(step);
    }

    private String status(String key) {
        return fleetView(key).path("status").asText();
    }

    private JsonNode fleetView(String key) {
        return call("GET", "/api/v1/rollouts/" + key + "/flags", null, settings.adminToken(), 200);
    }

    /** Where the rollout is and, so that a failed check says why it is there, the newest decision. */
    private String describe(String key) {
        JsonNode rollout = rollout(key);
        List<JsonNode> journal = journal(key);
        String last = journal.isEmpty() ? "none" : journal.get(0).path("action").asText() + ", " + journal.get(0).path("reason").asText();
        return rollout.path("status").asText() + " at " + rollout.path("step").asText() + " (" + rollout.path("percentage").asInt()
                + "%); last decision: " + last;
    }

    private JsonNode rollout(String key) {
        return call("GET", "/api/v1/rollouts/" + key, null, settings.adminToken(), 200);
    }

    /** The decision journal, newest first. */
    private List<JsonNode> journal(String key) {
        JsonNode page = call("GET", "/api/v1/rollouts/" + key + "/evaluations?limit=500", null, settings.adminToken(), 200);
        List<JsonNode> entries = new ArrayList<>();
        page.path("evaluations").forEach(entries::add);
        return entries;
    }

    private String token(String name, String... roles) {
        return call("POST", "/api/v1/tokens", Map.of("name", name, "roles", List.of(roles)), settings.adminToken(), 201)
                .path("token").asText();
    }

    private JsonNode call(String method, String path, Object body, String token, int... expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.baseUrl().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(SimHttp.json(body)));
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (Arrays.stream(expected).noneMatch(status -> status == response.statusCode())) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? SimHttp.JSON.createObjectNode() : SimHttp.parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- the fleet

    private FleetSimulator fleet(String key, Regression regression, boolean reporting) {
        SimConfig config = SimConfig.builder()
                .baseUrl(settings.baseUrl().toString())
                .token(daemonToken)
                .rollout(key)
                .fleet(settings.hosts(), settings.sessionsPerHost())
                .sessionPrefix("drill")
                .pollMode(settings.pollMode())
                .pollInterval(settings.pollInterval())
                .reportInterval(reporting ? settings.reportInterval() : Duration.ZERO)
                .smokeInterval(reporting ? settings.soak() : Duration.ZERO)
                .cyclesPerSecond(settings.cyclesPerSecond())
                .regression(regression)
                .seed(settings.seed())
                .build();
        return new FleetSimulator(config, driver.clock());
    }

    private String sessionId(int host, int session) {
        return "drill-h" + host + "-s" + session;
    }

    /** The index of the metric gate on {@code metric} among a step's exit gates. */
    private int gateIndex(String step, String metric) {
        List<GateSpec> gates = exitGates(step);
        for (int i = 0; i < gates.size(); i++) {
            if (metric.equals(gates.get(i).metric())) {
                return i;
            }
        }
        throw new IllegalStateException("step " + step + " has no " + metric + " gate");
    }

    /** The indexes of a step's exit gates on metrics that only reports feed (support tickets are always known). */
    private List<Integer> reportGateIndexes(String step) {
        List<GateSpec> gates = exitGates(step);
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < gates.size(); i++) {
            GateSpec gate = gates.get(i);
            if (gate.metric() != null && !gate.metric().equals("support_tickets")) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    private List<GateSpec> exitGates(String step) {
        StepSpec spec = plan.steps().stream().filter(s -> s.name().equals(step)).findFirst().orElseThrow();
        return spec.exitGates();
    }

    /** Time for every session to see the last change: an evaluation interval, a poll interval and a second. */
    private Duration settle() {
        return settings.evaluationInterval().plus(settings.pollInterval()).plusSeconds(1);
    }

    private ScenarioResult result(String scenario, String key, Instant started, List<Check> checks, SimSummary summary) {
        return new ScenarioResult(scenario, key, checks.stream().allMatch(Check::passed),
                seconds(Duration.between(started, driver.clock().instant())), checks, summary);
    }

    private static double seconds(Duration duration) {
        return FleetSimulator.seconds(duration);
    }

    // ---- the command line

    static Settings parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        String base = options.remove("base-url");
        String token = options.remove("admin-token");
        if (base == null || token == null) {
            throw new IllegalArgumentException("--base-url and --admin-token are required");
        }
        Settings d = Settings.defaults(URI.create(base), token);
        Settings settings = new Settings(d.baseUrl(), d.adminToken(),
                seconds(options.remove("evaluation-interval"), d.evaluationInterval()),
                seconds(options.remove("soak"), d.soak()),
                seconds(options.remove("window"), d.window()),
                integer(options.remove("hosts"), d.hosts()),
                integer(options.remove("sessions-per-host"), d.sessionsPerHost()),
                integer(options.remove("canary"), d.canary()),
                options.containsKey("cycles-per-second") ? Double.parseDouble(options.remove("cycles-per-second")) : d.cyclesPerSecond(),
                options.containsKey("poll-mode") ? PollMode.valueOf(options.remove("poll-mode").toUpperCase(Locale.ROOT)) : d.pollMode(),
                seconds(options.remove("poll-interval"), d.pollInterval()),
                seconds(options.remove("report-interval"), d.reportInterval()),
                seconds(options.remove("hold"), d.hold()),
                seconds(options.remove("timeout"), d.timeout()),
                options.containsKey("seed") ? Long.parseLong(options.remove("seed")) : d.seed(),
                options.containsKey("scenarios") ? List.of(options.remove("scenarios").split(",")) : d.scenarios());
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet() + "; known: base-url, admin-token, "
                    + "evaluation-interval, soak, window, hosts, sessions-per-host, canary, cycles-per-second, poll-mode, "
                    + "poll-interval, report-interval, hold, timeout, seed, scenarios (" + String.join(",", Settings.ALL) + ")");
        }
        return settings;
    }

    private static Duration seconds(String value, Duration otherwise) {
        return value == null ? otherwise : Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }

    private static int integer(String value, int otherwise) {
        return value == null ? otherwise : Integer.parseInt(value);
    }
}
