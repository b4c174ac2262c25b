package dev.rolloutcontroller.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.sim.ReportModel.Report;
import dev.rolloutcontroller.sim.SimConfig.PollMode;
import dev.rolloutcontroller.sim.SimHttp.Kind;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Plays a fleet of monitor daemons against a running service: {@code hosts} daemons, each watching
 * {@code sessionsPerHost} tmux sessions. Each daemon reads its sessions' flags (per session with If-None-Match, per
 * host through the fleet view and one bulk decision, or by holding the event stream); each session runs monitor
 * cycles on the path its flag says (legacy until it has read a flag: the safe default) and the daemon posts a report
 * per session every report interval, split where the session changed path, carrying the flag version it applied.
 * Failed posts are retried, so an unacknowledged report is never dropped. The fleet also posts smoke results (at
 * each step change it sees and periodically), shadow comparisons while the flags say shadow mode, and support
 * tickets; a regression can be injected into the new path and later fixed.
 *
 * <p>Two ways to run: {@link #start()}/{@link #stop()} in real time on the simulator's own threads, or
 * {@link #tick()} in the caller's thread at whatever the clock says (a test moving a clock), where everything due is
 * done at once. {@link #summary()} then reads the outcome back through the API.
 *
 * <p>Randomness: every report is a pure function of the seed and the report's identity ({@link ReportModel}), so the
 * same seed and the same flag history give the same reports, ids included.
 */
public final class FleetSimulator implements AutoCloseable {

    static final String NEW = "new";
    static final String LEGACY = "legacy";
    static final int MAX_BATCH = 1000;
    static final Duration TICKET_PERIOD = Duration.ofSeconds(10);
    static final Duration DISPATCH_EVERY = Duration.ofMillis(5);
    static final int FINAL_DELIVERY_ATTEMPTS = 5;
    /** The audit events that change the rollout's state (forced or not); others, such as sign-offs, are left out. */
    static final Pattern TRANSITION = Pattern.compile("rollout\\.(force-)?(started|advanced|stepped-back|paused|resumed|rolled-back|restarted)");

    private final SimConfig config;
    private final Clock clock;
    private final ReportModel model;
    private final SimHttp http;
    private final List<Host> hosts = new ArrayList<>();
    private final String flagsPath;
    private final String rolloutPath;

    private final Object fleetLock = new Object();
    private final AtomicBoolean fleetBusy = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Report> sent = new ConcurrentLinkedQueue<>();
    private final LongAdder generated = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder missedPolls = new LongAdder();

    private volatile Instant startedAt;
    private volatile Instant endedAt;
    private volatile boolean running;

    // The fleet view as last seen in any flag response (guarded by fleetLock).
    private long seenVersion;
    private String seenStatus;
    private String seenStep;
    private int seenPercentage;
    private volatile boolean seenShadow;
    private boolean smokeRequested;
    private Instant nextSmokeAt;
    private Instant nextTicketAt;
    private long ticketPeriods;

    private volatile Instant injectedAt;
    private volatile Instant fixedAt;
    private int percentageAtInjection;
    private int sessionsOnNewAtInjection;

    private ExecutorService workers;
    private ScheduledExecutorService dispatcher;
    private final List<Thread> streamThreads = new ArrayList<>();

    public FleetSimulator(SimConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.model = new ReportModel(config.seed(), config.rollout(), config.cyclesPerSecond());
        this.http = new SimHttp(config.baseUrl(), config.token());
        this.rolloutPath = "/api/v1/rollouts/" + config.rollout();
        this.flagsPath = rolloutPath + "/flags";
        int index = 0;
        for (int h = 0; h < config.hosts(); h++) {
            Host host = new Host(h);
            for (int s = 0; s < config.sessionsPerHost(); s++) {
                host.sessions.add(new Session(index++, config.sessionId(h, s)));
            }
            hosts.add(host);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || List.of(args).contains("--help")) {
            System.out.println("Usage: bench/simulate.sh [options]\n" + SimConfig.usage());
            return;
        }
        SimConfig config = SimConfig.parse(args);
        try (FleetSimulator simulator = new FleetSimulator(config, Clock.systemUTC())) {
            simulator.start();
            Thread.sleep(config.duration().toMillis());
            simulator.stop();
            String json = SimHttp.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(simulator.summary());
            System.out.println(json);
            if (config.summaryFile() != null) {
                Files.writeString(config.summaryFile(), json + "\n");
            }
        }
    }

    // ---- running

    /** Real time: everything runs on the simulator's threads until {@link #stop()}. */
    public void start() {
        begin(now());
        workers = Executors.newFixedThreadPool(config.threads(), daemon("sim-worker"));
        if (config.pollMode() == PollMode.STREAM) {
            for (Host host : hosts) {
                Thread thread = daemon("sim-stream").newThread(() -> holdStream(host));
                streamThreads.add(thread);
                thread.start();
            }
        }
        dispatcher = Executors.newSingleThreadScheduledExecutor(daemon("sim-dispatch"));
        dispatcher.scheduleWithFixedDelay(this::dispatch, 0, DISPATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stepped: does everything due at the clock's present, in the caller's thread. The first tick starts the run. */
    public void tick() {
        if (config.pollMode() == PollMode.STREAM) {
            throw new IllegalStateException("the event stream needs real time; a stepped run polls (session or host mode)");
        }
        Instant now = now();
        if (startedAt == null) {
            begin(now);
        }
        // Every host reads its flags before any reports, as the threads of a real-time run would in parallel.
        for (Host host : hosts) {
            if (host.pollDue(now)) {
                work(host, true, false);
            }
        }
        for (Host host : hosts) {
            if (host.reportDue(now)) {
                work(host, false, true);
            }
        }
        if (fleetDue(now)) {
            fleetWork();
        }
    }

    /** Stops the threads of a real-time run, then delivers what is left. */
    public void stop() throws InterruptedException {
        running = false;
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(10, TimeUnit.SECONDS);
        for (Host host : hosts) {
            host.closeStream();
        }
        for (Thread thread : streamThreads) {
            thread.interrupt();
            thread.join(10_000);
        }
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        finish();
    }

    /**
     * Ends the run: every session's open period becomes a report and everything unacknowledged is sent, retried a
     * few times. A stepped run calls this instead of {@link #stop()}.
     */
    public void finish() throws InterruptedException {
        running = false;
        endedAt = now();
        for (int attempt = 0; attempt < FINAL_DELIVERY_ATTEMPTS; attempt++) {
            boolean left = false;
            for (Host host : hosts) {
                report(host);
                synchronized (host) {
                    left |= !host.outbox.isEmpty() || !host.shadowOutbox.isEmpty();
                }
            }
            if (!left) {
                return;
            }
            Thread.sleep(1000);
        }
    }

    @Override
    public void close() {
        running = false;
        if (dispatcher != null) {
            dispatcher.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        hosts.forEach(Host::closeStream);
        streamThreads.forEach(Thread::interrupt);
    }

    private void begin(Instant now) {
        startedAt = now;
        running = true;
        for (Host host : hosts) {
            host.begin(now);
        }
        synchronized (fleetLock) {
            nextSmokeAt = config.smokeInterval().isZero() ? null : now;
            nextTicketAt = now.plus(TICKET_PERIOD);
        }
    }

    private void dispatch() {
        try {
            Instant now = now();
            for (Host host : hosts) {
                if (host.busy.get()) {
                    continue;
                }
                boolean poll = host.pollDue(now);
                boolean report = host.reportDue(now);
                if ((poll || report) && host.busy.compareAndSet(false, true)) {
                    workers.execute(() -> {
                        try {
                            work(host, poll, report);
                        } finally {
                            host.busy.set(false);
                        }
                    });
                }
            }
            if (!fleetBusy.get() && fleetDue(now) && fleetBusy.compareAndSet(false, true)) {
                workers.execute(() -> {
                    try {
                        fleetWork();
                    } finally {
                        fleetBusy.set(false);
                    }
                });
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; say why and keep the fleet going.
            System.err.println("simulator dispatch failed: " + e);
        }
    }

    private void work(Host host, boolean poll, boolean report) {
        if (poll) {
            switch (config.pollMode()) {
                case SESSION -> pollSessions(host);
                case HOST -> pollFleetView(host);
                case STREAM -> decide(host);
            }
        }
        if (report) {
            report(host);
        }
    }

    // ---- flags

    private void pollSessions(Host host) {
        for (Session session : host.sessions) {
            HttpRequest.Builder request = http.request(flagsPath + "?session=" + URLEncoder.encode(session.id, StandardCharsets.UTF_8));
            if (session.etag != null) {
                request.header("If-None-Match", session.etag);
            }
            Optional<HttpResponse<String>> response = http.send(Kind.FLAG_READ, request.GET().build());
            if (response.isPresent() && response.get().statusCode() == 200) {
                JsonNode flags = SimHttp.parse(response.get().body());
                session.etag = response.get().headers().firstValue("ETag").orElse(null);
                observe(flags);
                apply(host, session, flags.path("enabled").asBoolean(), flags.path("version").asLong());
            }
        }
    }

    /** The fleet view with If-None-Match; when it changed, one bulk decision for the host's sessions. */
    private void pollFleetView(Host host) {
        HttpRequest.Builder request = http.request(flagsPath);
        if (host.fleetEtag != null) {
            request.header("If-None-Match", host.fleetEtag);
        }
        Optional<HttpResponse<String>> response = http.send(Kind.FLAG_READ, request.GET().build());
        if (response.isPresent() && response.get().statusCode() == 200) {
            observe(SimHttp.parse(response.get().body()));
            if (decide(host)) {
                host.fleetEtag = response.get().headers().firstValue("ETag").orElse(null);
            }
        }
    }

    /** One bulk decision for all the host's sessions; false when it failed (the host asks again). */
    private boolean decide(Host host) {
        host.decisionPending = false;
        List<String> ids = host.sessions.stream().map(s -> s.id).toList();
        Optional<HttpResponse<String>> response = http.send(Kind.FLAG_EVALUATE,
                http.postJson(flagsPath + "/evaluate", Map.of("sessions", ids)).build());
        if (response.isEmpty() || response.get().statusCode() != 200) {
            host.decisionPending = config.pollMode() == PollMode.STREAM;
            return false;
        }
        JsonNode body = SimHttp.parse(response.get().body());
        long version = body.path("version").asLong();
        JsonNode decisions = body.path("decisions");
        for (Session session : host.sessions) {
            apply(host, session, decisions.path(session.id).asBoolean(false), version);
        }
        return true;
    }

    /** Holds the event stream of one host, reconnecting with Last-Event-ID; each event asks for a bulk decision. */
    private void holdStream(Host host) {
        String lastEventId = null;
        while (running) {
            HttpRequest.Builder request = http.streamRequest(flagsPath + "/stream").header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            Optional<HttpResponse<Stream<String>>> response = http.open(Kind.FLAG_STREAM, request.GET().build());
            if (response.isPresent() && response.get().statusCode() == 200) {
                try (Stream<String> lines = response.get().body()) {
                    host.stream = lines;
                    String id = null;
                    StringBuilder data = new StringBuilder();
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (line.startsWith("id:")) {
                            id = line.substring(3).trim();
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5).trim());
                        } else if (line.isEmpty() && data.length() > 0) {
                            observe(SimHttp.parse(data.toString()));
                            host.decisionPending = true;
                            lastEventId = id;
                            data.setLength(0);
                        }
                    }
                } catch (UncheckedIOException | IllegalStateException e) {
                    // The stream broke (or was closed by stop()); reconnect while running.
                }
            }
            if (running) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** What the flags say about the rollout; a new step asks for a smoke run, a high enough percentage may inject. */
    private void observe(JsonNode view) {
        long version = view.path("version").asLong();
        String status = view.path("status").asText();
        String step = view.path("step").asText();
        int percentage = view.path("percentage").asInt();
        boolean inject;
        synchronized (fleetLock) {
            if (version <= seenVersion) {
                return;
            }
            boolean moved = !Objects.equals(step, seenStep) || !Objects.equals(status, seenStatus);
            seenVersion = version;
            seenStatus = status;
            seenStep = step;
            seenPercentage = percentage;
            seenShadow = view.path("shadowMode").asBoolean();
            if (moved && nextSmokeAt != null) {
                smokeRequested = true;
            }
            Integer at = config.regression().atPercentage();
            inject = at != null && injectedAt == null && status.equals("ACTIVE") && percentage >= at;
        }
        if (inject) {
            injectRegression();
        }
    }

    private void apply(Host host, Session session, boolean enabled, long version) {
        Instant now = now();
        String path = enabled ? NEW : LEGACY;
        synchronized (host) {
            if (!path.equals(session.path)) {
                cut(host, session, now);
                session.path = path;
                if (!enabled) {
                    session.toLegacyAt = now;
                }
            }
            session.version = version;
        }
    }

    // ---- telemetry

    /** Closes the session's current period into a report (and shadow comparisons in shadow mode). Holds the host. */
    private void cut(Host host, Session session, Instant now) {
        if (!now.isAfter(session.periodStart)) {
            return;
        }
        if (config.reportInterval().isZero()) {
            // A fleet that does not report keeps no periods either.
            session.periodStart = now;
            return;
        }
        boolean onNew = session.path.equals(NEW);
        PathProfile profile = onNew ? (host.regressed ? config.regression().apply(config.newPath()) : config.newPath())
                : config.legacyPath();
        long sequence = session.sequence++;
        Report report = model.report(session.index, session.id, sequence, session.path, profile, session.periodStart, now,
                startedAt, session.version);
        host.outbox.add(report);
        generated.increment();
        if (seenShadow && report.cycles() > 0) {
            for (int c = 0; c < Vocabulary.SHADOW_CATEGORIES.size(); c++) {
                String category = Vocabulary.SHADOW_CATEGORIES.get(c);
                Map<String, Object> comparison = new LinkedHashMap<>();
                comparison.put("sessionId", session.id);
                comparison.put("category", category);
                comparison.put("comparisons", report.cycles());
                comparison.put("mismatches", model.mismatches(session.index, sequence, c, report.cycles(),
                        config.shadowMismatch().getOrDefault(category, 0.0)));
                comparison.put("periodStart", report.periodStart());
                comparison.put("periodEnd", report.periodEnd());
                host.shadowOutbox.add(comparison);
            }
        }
        session.periodStart = now;
    }

    /** Closes every session's period and posts the host's reports, at most {@link #MAX_BATCH} per request. */
    private void report(Host host) {
        Instant now = now();
        List<Report> reports;
        List<Map<String, Object>> comparisons;
        synchronized (host) {
            if (!config.reportInterval().isZero()) {
                for (Session session : host.sessions) {
                    cut(host, session, now);
                }
            }
            reports = new ArrayList<>(host.outbox);
            host.outbox.clear();
            comparisons = new ArrayList<>(host.shadowOutbox);
            host.shadowOutbox.clear();
        }
        for (int from = 0; from < reports.size(); from += MAX_BATCH) {
            List<Report> batch = reports.subList(from, Math.min(reports.size(), from + MAX_BATCH));
            Optional<HttpResponse<String>> response = http.send(Kind.REPORTS,
                    http.postJson(rolloutPath + "/reports", Map.of("reports", batch)).build());
            if (response.isPresent() && response.get().statusCode() == 202) {
                JsonNode counts = SimHttp.parse(response.get().body());
                accepted.add(counts.path("accepted").asLong());
                duplicates.add(counts.path("duplicates").asLong());
                sent.addAll(batch);
            } else {
                failedAttempts.increment();
                synchronized (host) {
                    host.outbox.addAll(batch);
                }
            }
        }
        for (Map<String, Object> comparison : comparisons) {
            Optional<HttpResponse<String>> response = http.send(Kind.SHADOW,
                    http.postJson(rolloutPath + "/shadow-comparisons", comparison).build());
            if (response.isEmpty() || response.get().statusCode() != 202) {
                synchronized (host) {
                    host.shadowOutbox.add(comparison);
                }
            }
        }
    }

    private boolean fleetDue(Instant now) {
        Regression regression = config.regression();
        synchronized (fleetLock) {
            return smokeRequested
                    || (nextSmokeAt != null && !now.isBefore(nextSmokeAt))
                    || !now.isBefore(nextTicketAt)
                    || (injectedAt == null && regression.atSeconds() != null && !now.isBefore(injectAt()))
                    || (injectedAt != null && fixedAt == null && regression.fixAfterSeconds() != null && !now.isBefore(fixAt()));
        }
    }

    /** The fleet's own chores: the scheduled regression and its fix, smoke runs and support tickets. */
    private void fleetWork() {
        Instant now = now();
        Regression regression = config.regression();
        if (injectedAt == null && regression.atSeconds() != null && !now.isBefore(injectAt())) {
            injectRegression();
        }
        if (injectedAt != null && fixedAt == null && regression.fixAfterSeconds() != null && !now.isBefore(fixAt())) {
            fixRegression();
        }
        boolean smoke;
        long ticketPeriod = -1;
        synchronized (fleetLock) {
            smoke = smokeRequested || (nextSmokeAt != null && !now.isBefore(nextSmokeAt));
            if (smoke) {
                smokeRequested = false;
                nextSmokeAt = now.plus(config.smokeInterval());
            }
            if (!now.isBefore(nextTicketAt)) {
                nextTicketAt = nextTicketAt.plus(TICKET_PERIOD);
                ticketPeriod = ticketPeriods++;
            }
        }
        if (smoke) {
            postSmoke(now);
        }
        if (ticketPeriod >= 0) {
            double perHour = config.ticketsPerHour() + (regressed() ? regression.ticketsPerHour() : 0);
            long tickets = model.tickets(ticketPeriod, perHour * TICKET_PERIOD.toSeconds() / 3600.0);
            if (tickets > 0) {
                http.send(Kind.SIGNALS, http.postJson(rolloutPath + "/signals", Map.of("type", "support-ticket",
                        "count", tickets, "ref", "SIM-" + ticketPeriod, "at", now.toString())).build());
            }
        }
    }

    private void postSmoke(Instant now) {
        boolean regressed = regressed();
        PathProfile profile = regressed ? config.regression().apply(config.newPath()) : config.newPath();
        for (String check : Vocabulary.SMOKE_CHECKS) {
            boolean passed = !(regressed && config.regression().failingSmoke().contains(check));
            boolean performance = check.equals("performance");
            double expectedP95 = profile.cycleP50Ms() * Math.exp(1.645 * profile.cycleSigma());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("check", check);
            result.put("passed", passed);
            result.put("value", performance ? Math.round(expectedP95 * 10) / 10.0 : passed ? 100 : 0);
            result.put("unit", performance ? "ms" : "%");
            result.put("sessionId", hosts.get(0).sessions.get(0).id);
            result.put("at", now.toString());
            http.send(Kind.SMOKE, http.postJson(rolloutPath + "/smoke-results", result).build());
        }
    }

    // ---- the regression

    /** Injects the regression now: new-path periods are cut here, so each report is either healthy or not. */
    public void injectRegression() {
        Instant now;
        synchronized (fleetLock) {
            if (injectedAt != null) {
                return;
            }
            now = now();
            injectedAt = now;
            percentageAtInjection = seenPercentage;
        }
        int onNew = 0;
        for (Host host : hosts) {
            synchronized (host) {
                for (Session session : host.sessions) {
                    if (session.path.equals(NEW)) {
                        cut(host, session, now);
                        onNew++;
                    }
                }
                host.regressed = true;
            }
        }
        synchronized (fleetLock) {
            sessionsOnNewAtInjection = onNew;
        }
    }

    /** Ends the regression now (the fix is deployed). */
    public void fixRegression() {
        Instant now;
        synchronized (fleetLock) {
            if (injectedAt == null || fixedAt != null) {
                return;
            }
            now = now();
            fixedAt = now;
        }
        for (Host host : hosts) {
            synchronized (host) {
                for (Session session : host.sessions) {
                    if (session.path.equals(NEW)) {
                        cut(host, session, now);
                    }
                }
                host.regressed = false;
            }
        }
    }

    private boolean regressed() {
        return injectedAt != null && fixedAt == null;
    }

    private Instant injectAt() {
        return startedAt.plusNanos(Math.round(config.regression().atSeconds() * 1e9));
    }

    private Instant fixAt() {
        return injectedAt.plusNanos(Math.round(config.regression().fixAfterSeconds() * 1e9));
    }

    // ---- what the fleet sees now

    public int sessionsOnNewPath() {
        int onNew = 0;
        for (Host host : hosts) {
            synchronized (host) {
                for (Session session : host.sessions) {
                    if (session.path.equals(NEW)) {
                        onNew++;
                    }
                }
            }
        }
        return onNew;
    }

    public int sessions() {
        return config.sessions();
    }

    SimConfig config() {
        return config;
    }

    // ---- the outcome

    /** Reads the rollout's transitions back, replays every sent report to count what is stored, and sums it all up. */
    public SimSummary summary() {
        Instant end = endedAt == null ? now() : endedAt;
        List<SimSummary.Transition> transitions = transitions();
        Long stored = null;
        Long lost = null;
        List<Report> delivered = new ArrayList<>(sent);
        if (config.verifyStored()) {
            stored = storedOf(delivered);
            lost = delivered.size() - stored;
        }
        long notDelivered = 0;
        for (Host host : hosts) {
            synchronized (host) {
                notDelivered += host.outbox.size();
            }
        }
        long cyclesNew = delivered.stream().filter(r -> r.path().equals(NEW)).mapToLong(Report::cycles).sum();
        long cyclesLegacy = delivered.stream().filter(r -> r.path().equals(LEGACY)).mapToLong(Report::cycles).sum();
        long errors = 0;
        for (Kind kind : Kind.values()) {
            if (kind != Kind.READ_BACK) {
                errors += http.errors(kind);
            }
        }
        long reads = http.total(Kind.FLAG_READ);
        long notModified = http.countOf(Kind.FLAG_READ, "304");
        Map<String, Map<String, Object>> latency = new LinkedHashMap<>();
        for (Kind kind : List.of(Kind.FLAG_READ, Kind.FLAG_EVALUATE, Kind.FLAG_STREAM, Kind.REPORTS)) {
            if (http.latency(kind).count() > 0) {
                latency.put(kind.label, http.latency(kind).summary());
            }
        }
        return new SimSummary(config.rollout(), config.seed(),
                new SimSummary.Fleet(config.hosts(), config.sessionsPerHost(), config.sessions(),
                        config.pollMode().name().toLowerCase(java.util.Locale.ROOT), seconds(config.pollInterval()),
                        seconds(config.reportInterval()), config.cyclesPerSecond()),
                startedAt.toString(), seconds(Duration.between(startedAt, end)), http.statusSummary(), errors,
                new SimSummary.FlagReads(reads, notModified, reads == 0 ? 0 : round((double) notModified / reads)),
                latency, missedPolls.sum(),
                new SimSummary.Reports(generated.sum(), delivered.size(), accepted.sum(), duplicates.sum(), failedAttempts.sum(),
                        notDelivered, stored, lost, cyclesNew, cyclesLegacy),
                transitions, regressionTiming(transitions), sessionsOnNewPath());
    }

    /** Replays the reports: the service answers each one it holds as a duplicate. */
    private long storedOf(List<Report> reports) {
        long stored = 0;
        for (int from = 0; from < reports.size(); from += MAX_BATCH) {
            List<Report> batch = reports.subList(from, Math.min(reports.size(), from + MAX_BATCH));
            HttpResponse<String> response = http.send(Kind.READ_BACK,
                    http.postJson(rolloutPath + "/reports", Map.of("reports", batch)).build())
                    .filter(r -> r.statusCode() == 202)
                    .orElseThrow(() -> new IllegalStateException("replaying reports to read them back failed"));
            stored += SimHttp.parse(response.body()).path("duplicates").asLong();
        }
        return stored;
    }

    private List<SimSummary.Transition> transitions() {
        List<JsonNode> events = new ArrayList<>();
        String before = null;
        do {
            String query = "?limit=200" + (before == null ? "" : "&before=" + before);
            HttpResponse<String> response = http.send(Kind.READ_BACK, http.request(rolloutPath + "/events" + query).GET().build())
                    .filter(r -> r.statusCode() == 200)
                    .orElseThrow(() -> new IllegalStateException("reading the rollout's events failed"));
            JsonNode page = SimHttp.parse(response.body());
            page.path("events").forEach(events::add);
            before = page.path("nextBefore").isNull() || page.path("nextBefore").isMissingNode() ? null : page.path("nextBefore").asText();
        } while (before != null);
        return events.stream()
                .filter(e -> TRANSITION.matcher(e.path("type").asText()).matches())
                .sorted(Comparator.comparingLong(e -> e.path("id").asLong()))
                .map(e -> {
                    JsonNode after = e.path("after");
                    Instant time = Instant.parse(e.path("time").asText());
                    return new SimSummary.Transition(e.path("id").asLong(), time.toString(),
                            seconds(Duration.between(startedAt, time)), e.path("type").asText(), e.path("actor").asText(),
                            after.path("status").asText(null), after.path("step").asText(null),
                            after.has("percentage") ? after.path("percentage").asInt() : null, e.path("reason").asText(null));
                })
                .toList();
    }

    private SimSummary.RegressionTiming regressionTiming(List<SimSummary.Transition> transitions) {
        Instant injected = injectedAt;
        if (injected == null) {
            return null;
        }
        Optional<SimSummary.Transition> decision = transitions.stream()
                .filter(t -> !Instant.parse(t.time()).isBefore(injected))
                .filter(t -> t.type().endsWith("rolled-back") || t.type().endsWith("stepped-back") || t.type().endsWith("paused"))
                .findFirst();
        Instant lastLegacy = null;
        if (sessionsOnNewPath() == 0) {
            for (Host host : hosts) {
                synchronized (host) {
                    for (Session session : host.sessions) {
                        if (session.toLegacyAt != null && !session.toLegacyAt.isBefore(injected)
                                && (lastLegacy == null || session.toLegacyAt.isAfter(lastLegacy))) {
                            lastLegacy = session.toLegacyAt;
                        }
                    }
                }
            }
        }
        Instant decidedAt = decision.map(t -> Instant.parse(t.time())).orElse(null);
        Instant legacyAt = lastLegacy;
        int percentage;
        int onNew;
        synchronized (fleetLock) {
            percentage = percentageAtInjection;
            onNew = sessionsOnNewAtInjection;
        }
        return new SimSummary.RegressionTiming(injected.toString(), seconds(Duration.between(startedAt, injected)), percentage, onNew,
                fixedAt == null ? null : fixedAt.toString(), decision.map(SimSummary.Transition::type).orElse(null),
                decision.map(SimSummary.Transition::actor).orElse(null), decidedAt == null ? null : decidedAt.toString(),
                decidedAt == null ? null : seconds(Duration.between(injected, decidedAt)),
                legacyAt == null ? null : legacyAt.toString(),
                legacyAt == null || decidedAt == null ? null : seconds(Duration.between(decidedAt, legacyAt)),
                legacyAt == null ? null : seconds(Duration.between(injected, legacyAt)));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static double seconds(Duration duration) {
        return round(duration.toNanos() / 1e9);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- the fleet's parts

    /** One monitor daemon. Its sessions' state and its outboxes are guarded by the host itself. */
    private final class Host {
        final int index;
        final List<Session> sessions = new ArrayList<>();
        final List<Report> outbox = new ArrayList<>();
        final List<Map<String, Object>> shadowOutbox = new ArrayList<>();
        final AtomicBoolean busy = new AtomicBoolean();
        boolean regressed;
        volatile boolean decisionPending;
        volatile String fleetEtag;
        volatile Stream<String> stream;
        Instant nextPollAt;
        Instant nextReportAt;

        Host(int index) {
            this.index = index;
        }

        /** Spreads the hosts evenly over the poll and report intervals, so they do not all ask at once. */
        void begin(Instant now) {
            for (Session session : sessions) {
                session.periodStart = now;
            }
            double share = (double) index / config.hosts();
            nextPollAt = now.plusNanos(Math.round(config.pollInterval().toNanos() * share));
            nextReportAt = config.reportInterval().isZero() ? null
                    : now.plusNanos(Math.round(config.reportInterval().toNanos() * (share + 0.5 / config.hosts())));
        }

        /** Whether a flag read is due; moves the schedule on (a whole interval behind counts as a missed poll). */
        boolean pollDue(Instant now) {
            if (config.pollMode() == PollMode.STREAM) {
                return decisionPending;
            }
            if (now.isBefore(nextPollAt)) {
                return false;
            }
            nextPollAt = nextPollAt.plus(config.pollInterval());
            if (!nextPollAt.isAfter(now)) {
                missedPolls.increment();
                nextPollAt = now.plus(config.pollInterval());
            }
            return true;
        }

        boolean reportDue(Instant now) {
            if (nextReportAt == null || now.isBefore(nextReportAt)) {
                return false;
            }
            nextReportAt = nextReportAt.plus(config.reportInterval());
            if (!nextReportAt.isAfter(now)) {
                nextReportAt = now.plus(config.reportInterval());
            }
            return true;
        }

        void closeStream() {
            Stream<String> open = stream;
            if (open != null) {
                open.close();
            }
        }
    }

    /** One tmux session's monitor: the path it runs and the period its next report covers. Guarded by its host. */
    private static final class Session {
        final int index;
        final String id;
        String path = LEGACY;
        Long version;
        Instant periodStart;
        long sequence;
        volatile String etag;
        Instant toLegacyAt;

        Session(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }
}
