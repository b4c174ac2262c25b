package dev.rolloutcontroller.sim;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every knob of the fleet simulator, with its command-line form ({@link #parse}; {@code --help} lists them).
 *
 * @param pollMode       {@code session}: each session GETs its flags with If-None-Match; {@code host}: each host
 *                       GETs the fleet view with If-None-Match and, when it changed, decides for all its sessions in
 *                       one bulk request; {@code stream}: each host holds the event stream and decides in bulk on
 *                       each event
 * @param reportInterval zero: nothing reports
 * @param smokeInterval  zero: no smoke results (otherwise also right after each step change the fleet sees)
 * @param shadowMismatch shadow category → mismatch rate, posted while the flags say shadow mode
 */
record SimConfig(
        URI baseUrl,
        String token,
        String rollout,
        int hosts,
        int sessionsPerHost,
        String sessionPrefix,
        PollMode pollMode,
        Duration pollInterval,
        Duration reportInterval,
        Duration smokeInterval,
        double cyclesPerSecond,
        PathProfile newPath,
        PathProfile legacyPath,
        Map<String, Double> shadowMismatch,
        double ticketsPerHour,
        Regression regression,
        long seed,
        Duration duration,
        int threads,
        boolean verifyStored,
        Path summaryFile) {

    enum PollMode { SESSION, HOST, STREAM }

    SimConfig {
        shadowMismatch = Map.copyOf(shadowMismatch);
        if (hosts < 1 || sessionsPerHost < 1) {
            throw new IllegalArgumentException("hosts and sessions per host must be at least 1");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive");
        }
        if (reportInterval.isNegative() || reportInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the report interval must be within 0..3600 s (a report covers at most an hour)");
        }
        if (!(cyclesPerSecond >= 0) || !(ticketsPerHour >= 0) || threads < 1) {
            throw new IllegalArgumentException("cycles per second and tickets per hour must not be negative, threads at least 1");
        }
    }

    int sessions() {
        return hosts * sessionsPerHost;
    }

    /** The id of session {@code s} of host {@code h}. */
    String sessionId(int host, int session) {
        return sessionPrefix + "-h" + host + "-s" + session;
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        URI baseUrl;
        String token;
        String rollout;
        int hosts = 50;
        int sessionsPerHost = 10;
        String sessionPrefix = "sim";
        PollMode pollMode = PollMode.SESSION;
        Duration pollInterval = Duration.ofSeconds(1);
        Duration reportInterval = Duration.ofSeconds(10);
        Duration smokeInterval = Duration.ofSeconds(60);
        double cyclesPerSecond = 5;
        PathProfile newPath = PathProfile.healthy();
        PathProfile legacyPath = PathProfile.healthy();
        Map<String, Double> shadowMismatch = new LinkedHashMap<>(Map.of("discovery", 0.0, "idle", 0.01, "notification", 0.0));
        double ticketsPerHour = 0;
        Regression regression = Regression.NONE;
        long seed = 1;
        Duration duration = Duration.ofSeconds(60);
        int threads = 8;
        boolean verifyStored = true;
        Path summaryFile;

        Builder baseUrl(String url) {
            baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            return this;
        }

        Builder token(String value) {
            token = value;
            return this;
        }

        Builder rollout(String key) {
            rollout = key;
            return this;
        }

        Builder fleet(int hostCount, int perHost) {
            hosts = hostCount;
            sessionsPerHost = perHost;
            return this;
        }

        Builder sessionPrefix(String prefix) {
            sessionPrefix = prefix;
            return this;
        }

        Builder pollMode(PollMode mode) {
            pollMode = mode;
            return this;
        }

        Builder pollInterval(Duration interval) {
            pollInterval = interval;
            return this;
        }

        Builder reportInterval(Duration interval) {
            reportInterval = interval;
            return this;
        }

        Builder smokeInterval(Duration interval) {
            smokeInterval = interval;
            return this;
        }

        Builder cyclesPerSecond(double rate) {
            cyclesPerSecond = rate;
            return this;
        }

        Builder regression(Regression value) {
            regression = value;
            return this;
        }

        Builder seed(long value) {
            seed = value;
            return this;
        }

        SimConfig build() {
            if (baseUrl == null || token == null || rollout == null) {
                throw new IllegalArgumentException("--base-url, --token and --rollout are required");
            }
            return new SimConfig(baseUrl, token, rollout, hosts, sessionsPerHost, sessionPrefix, pollMode, pollInterval,
                    reportInterval, smokeInterval, cyclesPerSecond, newPath, legacyPath, shadowMismatch, ticketsPerHour,
                    regression, seed, duration, threads, verifyStored, summaryFile);
        }
    }

    // ---- the command line

    private record Flag(String name, String help, BiConsumer<Builder, String> set) {
    }

    private static final List<Flag> FLAGS = List.of(
            new Flag("base-url", "the service, e.g. http://127.0.0.1:8080 (required)", Builder::baseUrl),
            new Flag("token", "an API token with the reader and reporter roles (required)", (b, v) -> b.token = v),
            new Flag("rollout", "the rollout key (required)", (b, v) -> b.rollout = v),
            new Flag("hosts", "monitor daemons, one per host (50)", (b, v) -> b.hosts = Integer.parseInt(v)),
            new Flag("sessions-per-host", "sessions each daemon watches (10)", (b, v) -> b.sessionsPerHost = Integer.parseInt(v)),
            new Flag("session-prefix", "session ids are <prefix>-h<host>-s<n> (sim)", (b, v) -> b.sessionPrefix = v),
            new Flag("poll-mode", "session | host | stream (session)", (b, v) -> b.pollMode = PollMode.valueOf(v.toUpperCase(Locale.ROOT))),
            new Flag("poll-interval", "seconds between flag polls (1)", (b, v) -> b.pollInterval = seconds(v)),
            new Flag("report-interval", "seconds between reports; 0 = nothing reports (10)", (b, v) -> b.reportInterval = seconds(v)),
            new Flag("smoke-interval", "seconds between smoke runs, also run at each step change; 0 = none (60)",
                    (b, v) -> b.smokeInterval = seconds(v)),
            new Flag("cycles-per-second", "monitor cycles per session per second (5)", (b, v) -> b.cyclesPerSecond = Double.parseDouble(v)),
            new Flag("new-error-rate", "per-cycle error probability on the new path (0.0001)",
                    (b, v) -> b.newPath = b.newPath.withErrorRate(Double.parseDouble(v))),
            new Flag("legacy-error-rate", "per-cycle error probability on the legacy path (0.0001)",
                    (b, v) -> b.legacyPath = b.legacyPath.withErrorRate(Double.parseDouble(v))),
            new Flag("new-cycle-p50-ms", "median cycle time on the new path (20)",
                    (b, v) -> b.newPath = b.newPath.withCycleP50Ms(Double.parseDouble(v))),
            new Flag("legacy-cycle-p50-ms", "median cycle time on the legacy path (20)",
                    (b, v) -> b.legacyPath = b.legacyPath.withCycleP50Ms(Double.parseDouble(v))),
            new Flag("new-cycle-sigma", "log-normal shape of new-path cycle times (0.5)",
                    (b, v) -> b.newPath = b.newPath.withCycleSigma(Double.parseDouble(v))),
            new Flag("legacy-cycle-sigma", "log-normal shape of legacy cycle times (0.5)",
                    (b, v) -> b.legacyPath = b.legacyPath.withCycleSigma(Double.parseDouble(v))),
            new Flag("new-memory-mb", "memory per session on the new path (200)",
                    (b, v) -> b.newPath = b.newPath.withMemoryMb(Double.parseDouble(v))),
            new Flag("legacy-memory-mb", "memory per session on the legacy path (200)",
                    (b, v) -> b.legacyPath = b.legacyPath.withMemoryMb(Double.parseDouble(v))),
            new Flag("new-memory-growth", "relative memory growth per hour on the new path (0)",
                    (b, v) -> b.newPath = b.newPath.withMemoryGrowthPerHour(Double.parseDouble(v))),
            new Flag("legacy-memory-growth", "relative memory growth per hour on the legacy path (0)",
                    (b, v) -> b.legacyPath = b.legacyPath.withMemoryGrowthPerHour(Double.parseDouble(v))),
            new Flag("new-cpu", "CPU % per session on the new path (4)",
                    (b, v) -> b.newPath = b.newPath.withCpuPercent(Double.parseDouble(v))),
            new Flag("legacy-cpu", "CPU % per session on the legacy path (4)",
                    (b, v) -> b.legacyPath = b.legacyPath.withCpuPercent(Double.parseDouble(v))),
            new Flag("shadow-mismatch", "category=rate,... mismatch rates in shadow mode (discovery=0,idle=0.01,notification=0)",
                    (b, v) -> b.shadowMismatch = rates(v)),
            new Flag("tickets-per-hour", "support tickets filed across the fleet, healthy (0)", (b, v) -> b.ticketsPerHour = Double.parseDouble(v)),
            new Flag("regression-at", "inject the regression this many seconds after the start",
                    (b, v) -> b.regression = b.regression.at(Double.parseDouble(v), null)),
            new Flag("regression-at-percentage", "or inject it when the rollout is first seen active at this percentage or more",
                    (b, v) -> b.regression = b.regression.at(null, Integer.parseInt(v))),
            new Flag("regression-fix-after", "end the regression this many seconds after injecting it (never)",
                    (b, v) -> b.regression = b.regression.fixedAfter(Double.parseDouble(v))),
            new Flag("regression-error-rate", "new-path error rate while injected (unchanged)",
                    (b, v) -> b.regression = b.regression.withErrorRate(Double.parseDouble(v))),
            new Flag("regression-cycle-factor", "multiplies new-path cycle times while injected (1)",
                    (b, v) -> b.regression = b.regression.withCycleFactor(Double.parseDouble(v))),
            new Flag("regression-memory-mb", "new-path memory while injected (unchanged)",
                    (b, v) -> b.regression = b.regression.withMemoryMb(Double.parseDouble(v))),
            new Flag("regression-tickets-per-hour", "support tickets per hour while injected (0)",
                    (b, v) -> b.regression = b.regression.withTicketsPerHour(Double.parseDouble(v))),
            new Flag("regression-failing-smoke", "comma-separated smoke checks that fail while injected (none)",
                    (b, v) -> b.regression = b.regression.withFailingSmoke(Arrays.asList(v.split(",")))),
            new Flag("seed", "seed of every random draw: the same seed gives the same reports (1)", (b, v) -> b.seed = Long.parseLong(v)),
            new Flag("duration", "seconds to run (60)", (b, v) -> b.duration = seconds(v)),
            new Flag("threads", "worker threads of the simulator (8)", (b, v) -> b.threads = Integer.parseInt(v)),
            new Flag("verify-stored", "replay every sent report at the end to count what was stored (true)",
                    (b, v) -> b.verifyStored = Boolean.parseBoolean(v)),
            new Flag("summary", "also write the JSON summary to this file", (b, v) -> b.summaryFile = Path.of(v)));

    /** Parses {@code --name value} or {@code --name=value} pairs. */
    static SimConfig parse(String[] args) {
        Builder builder = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; see --help");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            String flagName = name;
            Flag flag = FLAGS.stream().filter(f -> f.name().equals(flagName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option --" + flagName + "; see --help"));
            flag.set().accept(builder, value);
        }
        return builder.build();
    }

    static String usage() {
        StringBuilder text = new StringBuilder("Options (defaults in parentheses):\n");
        for (Flag flag : FLAGS) {
            text.append(String.format("  --%-28s %s%n", flag.name(), flag.help()));
        }
        return text.toString();
    }

    private static Duration seconds(String value) {
        return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1e9));
    }

    private static Map<String, Double> rates(String value) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected category=rate, got '" + pair + "'");
            }
            rates.put(parts[0].trim(), Double.parseDouble(parts[1].trim()));
        }
        return rates;
    }
}
