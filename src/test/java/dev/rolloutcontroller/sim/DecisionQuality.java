package dev.rolloutcontroller.sim;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rolloutcontroller.sim.SyntheticRollout.Fault;
import dev.rolloutcontroller.sim.SyntheticRollout.Outcome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Decision quality of the checklist's default plan, on the pure engine: per seed, {@code runs} healthy rollouts
 * (false trigger actions, time to completion) and {@code runs} rollouts each with an error-rate and a cycle-time
 * regression injected into the new path at a random moment between 30 min and 30 h after the start (detection rate
 * and delay after the minimum sample). See {@link SyntheticRollout} for the fleet and its noise.
 *
 * <p>A regression counts as detected when a trigger acted on it, or when the gate on the faulty metric FAILed and
 * the rollout never advanced with the fault in (it holds: the gate stops it). The delay is measured from the moment
 * the new path had reported the minimum sample (1,000 cycles) since the injection.
 */
public final class DecisionQuality {

    /**
     * @param interval          the evaluator's cadence before an injection (and throughout a healthy run)
     * @param detectionInterval the cadence once a fault is in
     * @param detectionHorizon  how long after the injection a run is watched
     */
    record Settings(int runs, int sessions, int canary, double cyclesPerSecond, double healthyErrorRate, Duration interval,
                    Duration detectionInterval, Duration healthyHorizon, Duration detectionHorizon, double errorRegression,
                    double cycleRegression, List<Long> seeds, Path summary) {

        static Settings defaults() {
            return new Settings(200, 500, 10, 0.2, 0.0002, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofHours(72),
                    Duration.ofHours(2), 0.05, 1.6, List.of(1L, 2L, 3L), null);
        }
    }

    /** @param falseTriggerActions healthy runs a trigger rolled back, stepped back or paused (target 0) */
    record Healthy(int runs, int completed, int falseTriggerActions, int notCompletedWithinHorizon, double soakFloorHours,
                   Spread completionHours) {
    }

    /** @param missedRuns each run the fault went through undetected: when and where it was injected */
    record Regressed(String fault, double magnitude, int runs, int rolledBack, int heldOnFailingGate, int missed,
                     double detectionRate, double rollbackRate, Spread minSampleAfterInjectionSeconds,
                     Spread detectionAfterMinSampleSeconds, Spread rollbackAfterMinSampleSeconds,
                     Map<String, Integer> stepAtInjection, Map<String, Integer> firedTrigger, List<Missed> missedRuns) {
    }

    /** @param advancedWithTheFault the rollout advanced (or completed) after the injection */
    record Missed(int run, double injectedAfterHours, String stepAtInjection, boolean advancedWithTheFault) {
    }

    /** Median, 95th percentile and maximum; null figures when there was nothing to measure. */
    record Spread(Integer count, Double median, Double p95, Double max) {
        static Spread of(List<Double> values) {
            if (values.isEmpty()) {
                return new Spread(0, null, null, null);
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Spread(sorted.length, round(quantile(sorted, 0.5)), round(quantile(sorted, 0.95)), round(sorted[sorted.length - 1]));
        }
    }

    record SeedResult(long seed, double seconds, Healthy healthy, List<Regressed> regressions) {
    }

    record Report(Settings settings, Map<String, Double> medianOverSeeds, List<SeedResult> seeds) {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        Report report = run(settings);
        String json = SimHttp.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        System.out.println(json);
        if (settings.summary() != null) {
            Files.writeString(settings.summary(), json + "\n");
        }
    }

    static Report run(Settings settings) {
        List<SeedResult> results = new ArrayList<>();
        for (long seed : settings.seeds()) {
            long started = System.nanoTime();
            Healthy healthy = healthy(settings, seed);
            List<Regressed> regressions = List.of(
                    regressed(settings, seed, Fault.ERROR_RATE, settings.errorRegression()),
                    regressed(settings, seed, Fault.CYCLE_TIME, settings.cycleRegression()));
            results.add(new SeedResult(seed, round((System.nanoTime() - started) / 1e9), healthy, regressions));
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        medians.put("healthy.falseTriggerActions", median(results, r -> (double) r.healthy().falseTriggerActions()));
        medians.put("healthy.completionHours.median", median(results, r -> r.healthy().completionHours().median()));
        for (int i = 0; i < 2; i++) {
            int index = i;
            String name = results.get(0).regressions().get(i).fault();
            medians.put(name + ".detectionRate", median(results, r -> r.regressions().get(index).detectionRate()));
            medians.put(name + ".rollbackRate", median(results, r -> r.regressions().get(index).rollbackRate()));
            medians.put(name + ".detectionAfterMinSampleSeconds.median",
                    median(results, r -> r.regressions().get(index).detectionAfterMinSampleSeconds().median()));
            medians.put(name + ".rollbackAfterMinSampleSeconds.median",
                    median(results, r -> r.regressions().get(index).rollbackAfterMinSampleSeconds().median()));
        }
        return new Report(settings, medians, results);
    }

    private static Healthy healthy(Settings settings, long seed) {
        List<Outcome> outcomes = outcomes(settings, seed, Fault.NONE, 0);
        List<Double> hours = outcomes.stream().map(Outcome::completedAfter).filter(Objects::nonNull)
                .map(d -> d.toSeconds() / 3600.0).toList();
        int falseActions = (int) outcomes.stream().filter(o -> o.triggerAction() != null).count();
        double soakFloor = dev.rolloutcontroller.domain.Plan.checklist(false).steps().stream()
                .mapToLong(step -> step.soak().toSeconds()).sum() / 3600.0;
        return new Healthy(outcomes.size(), hours.size(), falseActions, outcomes.size() - hours.size() - falseActions, soakFloor,
                Spread.of(hours));
    }

    private static Regressed regressed(Settings settings, long seed, Fault fault, double magnitude) {
        List<Outcome> outcomes = outcomes(settings, seed, fault, magnitude);
        int rolledBack = 0;
        int held = 0;
        List<Double> detection = new ArrayList<>();
        List<Double> rollback = new ArrayList<>();
        List<Double> minSample = new ArrayList<>();
        Map<String, Integer> steps = new TreeMap<>();
        Map<String, Integer> fired = new TreeMap<>();
        List<Missed> missed = new ArrayList<>();
        for (int run = 0; run < outcomes.size(); run++) {
            Outcome o = outcomes.get(run);
            steps.merge(o.stepAtInjection(), 1, Integer::sum);
            if (o.minSampleAfter() != null) {
                minSample.add((double) o.minSampleAfter().toSeconds());
            }
            if (o.triggerAction() != null) {
                rolledBack++;
                fired.merge(o.triggerAction().toLowerCase(java.util.Locale.ROOT) + " on " + o.firedMetric(), 1, Integer::sum);
                rollback.add((double) o.actedAfterMinSample().toSeconds());
                Duration first = o.failedAfterMinSample() != null && o.failedAfterMinSample().compareTo(o.actedAfterMinSample()) < 0
                        ? o.failedAfterMinSample() : o.actedAfterMinSample();
                detection.add((double) first.toSeconds());
            } else if (o.failedAfterMinSample() != null && !o.advancedAfterInjection()) {
                held++;
                detection.add((double) o.failedAfterMinSample().toSeconds());
            } else {
                missed.add(new Missed(run, round(o.injectedAfter().toSeconds() / 3600.0), o.stepAtInjection(), o.advancedAfterInjection()));
            }
        }
        int runs = outcomes.size();
        String name = fault == Fault.ERROR_RATE ? "errorRate" : "cycleTime";
        return new Regressed(name, magnitude, runs, rolledBack, held, missed.size(),
                round((double) (rolledBack + held) / runs), round((double) rolledBack / runs), Spread.of(minSample),
                Spread.of(detection), Spread.of(rollback), steps, fired, missed);
    }

    /** The runs of one kind, in parallel; each run's randomness depends only on the seed, the kind and its index. */
    private static List<Outcome> outcomes(Settings settings, long seed, Fault fault, double magnitude) {
        return IntStream.range(0, settings.runs()).parallel().mapToObj(i -> {
            long runSeed = ReportModel.mix(ReportModel.mix(seed * 31 + fault.ordinal()) + i);
            long span = Duration.ofHours(30).minusMinutes(30).toSeconds();
            Duration injectAfter = Duration.ofMinutes(30).plusSeconds(new SplittableRandom(runSeed ^ 0x5DEECE66DL).nextLong(span));
            return new SyntheticRollout(settings, fault, magnitude, injectAfter, runSeed).run();
        }).toList();
    }

    private static Double median(List<SeedResult> results, Function<SeedResult, Double> figure) {
        double[] values = results.stream().map(figure).filter(Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
        return values.length == 0 ? null : round(quantile(values, 0.5));
    }

    /** The value at rank ceil(q·n) of sorted values (the median of an even count is the mean of the middle two). */
    private static double quantile(double[] sorted, double q) {
        if (q == 0.5 && sorted.length % 2 == 0) {
            return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    static Settings parse(String[] args) {
        Settings d = Settings.defaults();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Settings settings = new Settings(
                options.containsKey("runs") ? Integer.parseInt(options.remove("runs")) : d.runs(),
                options.containsKey("sessions") ? Integer.parseInt(options.remove("sessions")) : d.sessions(),
                options.containsKey("canary") ? Integer.parseInt(options.remove("canary")) : d.canary(),
                options.containsKey("cycles-per-second") ? Double.parseDouble(options.remove("cycles-per-second")) : d.cyclesPerSecond(),
                options.containsKey("healthy-error-rate") ? Double.parseDouble(options.remove("healthy-error-rate")) : d.healthyErrorRate(),
                options.containsKey("interval") ? Duration.ofSeconds(Long.parseLong(options.remove("interval"))) : d.interval(),
                options.containsKey("detection-interval") ? Duration.ofSeconds(Long.parseLong(options.remove("detection-interval")))
                        : d.detectionInterval(),
                d.healthyHorizon(), d.detectionHorizon(),
                options.containsKey("error-regression") ? Double.parseDouble(options.remove("error-regression")) : d.errorRegression(),
                options.containsKey("cycle-regression") ? Double.parseDouble(options.remove("cycle-regression")) : d.cycleRegression(),
                options.containsKey("seeds") ? Arrays.stream(options.remove("seeds").split(",")).map(Long::parseLong).toList() : d.seeds(),
                options.containsKey("summary") ? Path.of(options.remove("summary")) : null);
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet() + "; known: runs, sessions, canary, "
                    + "cycles-per-second, healthy-error-rate, interval, detection-interval, error-regression, cycle-regression, "
                    + "seeds, summary");
        }
        return settings;
    }
}
