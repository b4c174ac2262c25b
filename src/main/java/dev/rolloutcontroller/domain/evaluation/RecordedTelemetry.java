package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Metric;
import dev.rolloutcontroller.domain.Vocabulary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rollout's recorded telemetry over a period, held in memory so a replay can compute the window statistics of
 * thousands of passes without a query each: prefix sums per minute for the rollups (a range-maximum table for their
 * maxima), prefix sums in time order for support tickets and shadow comparisons, and each smoke check's results in
 * time order. A window is read as the live statistics read it ({@link StatKey#windowStart}, {@link RollupTotals}),
 * with one difference: a pass sees only what was recorded up to its own time.
 */
public final class RecordedTelemetry {

    /** One per-minute rollup of one path, as {@code telemetry_rollups} stores it. */
    public record RollupRow(String path, Instant minute, long reports, long cycles, long errors, double p95WeightedSum,
                            double cycleTimeMaxMs, long memoryMaxBytes, double cpuSum) {
    }

    /** Support tickets filed at one instant. */
    public record TicketCount(Instant at, long count) {
    }

    /** Shadow comparisons of one category whose period ended at one instant. */
    public record ComparisonCount(String category, Instant periodEnd, long comparisons, long mismatches) {
    }

    static final String SESSIONS_NOT_REPLAYED = "not replayed: per-session state keeps only each session's latest report";
    static final String PROMETHEUS_NOT_REPLAYED = "not replayed: Prometheus is not asked about past passes";

    private final Map<String, PathSeries> rollups = new HashMap<>();
    private final TimeSums tickets;
    private final Map<String, TimeSums> comparisons = new HashMap<>();
    private final Map<String, SmokeSeries> smoke = new HashMap<>();

    public RecordedTelemetry(List<RollupRow> rollupRows, List<TicketCount> ticketCounts, List<ComparisonCount> comparisonCounts,
                             List<SmokeResult> smokeResults) {
        Map<String, List<RollupRow>> byPath = new HashMap<>();
        rollupRows.forEach(row -> byPath.computeIfAbsent(row.path(), p -> new ArrayList<>()).add(row));
        byPath.forEach((path, rows) -> rollups.put(path, new PathSeries(rows)));
        tickets = new TimeSums(ticketCounts.stream().map(t -> new TimeSums.Point(t.at(), t.count(), 0)).toList());
        Map<String, List<TimeSums.Point>> byCategory = new HashMap<>();
        comparisonCounts.forEach(c -> byCategory.computeIfAbsent(c.category(), k -> new ArrayList<>())
                .add(new TimeSums.Point(c.periodEnd(), c.comparisons(), c.mismatches())));
        byCategory.forEach((category, points) -> comparisons.put(category, new TimeSums(points)));
        Map<String, List<SmokeResult>> byCheck = new HashMap<>();
        smokeResults.forEach(r -> byCheck.computeIfAbsent(r.check(), k -> new ArrayList<>()).add(r));
        byCheck.forEach((check, results) -> smoke.put(check, new SmokeSeries(results)));
    }

    /** The statistic of {@code key} for a pass at {@code now} of a rollout whose step was entered at {@code stepEnteredAt}. */
    public Observation observe(StatKey key, Instant stepEnteredAt, Instant now) {
        Instant from = key.windowStart(stepEnteredAt, now);
        Optional<Metric> metric = Metric.fromWireName(key.metric());
        if (metric.isEmpty()) {
            return Observation.EMPTY;
        }
        return switch (metric.get()) {
            case ERROR_RATE, CYCLE_TIME_P95_MS, CYCLE_TIME_MAX_MS, MEMORY_BYTES, CPU_PERCENT, CYCLES ->
                    rollupTotals(key.path(), from, now).observation(metric.get());
            case SESSIONS_REPORTING, MEMORY_GROWTH -> Observation.unavailable(SESSIONS_NOT_REPLAYED);
            case SUPPORT_TICKETS -> Observation.count(tickets.sums(from, now)[0]);
            case SHADOW_MISMATCH_RATE -> {
                TimeSums series = comparisons.get(key.category());
                long[] sums = series == null ? new long[2] : series.sums(from, now);
                yield Observation.rate(sums[1], sums[0]);
            }
            case SMOKE_FAILURES -> smokeFailures(from, now);
            case PROMETHEUS -> Observation.unavailable(PROMETHEUS_NOT_REPLAYED);
        };
    }

    /** The rollups of one path from the minute of {@code from} to the minute of {@code now}, both included. */
    public RollupTotals rollupTotals(String path, Instant from, Instant now) {
        PathSeries series = rollups.get(path);
        return series == null ? new RollupTotals(0, 0, 0, 0, null, null, 0) : series.totals(from, now);
    }

    /** Each check's latest result in {@code [since, now]}. */
    public Map<String, SmokeResult> latestSmoke(Instant since, Instant now) {
        Map<String, SmokeResult> latest = new HashMap<>();
        smoke.forEach((check, series) -> series.latest(since, now).ifPresent(result -> latest.put(check, result)));
        return latest;
    }

    /** How many critical checks failed on their latest result in the window, of those with a result. */
    private Observation smokeFailures(Instant from, Instant now) {
        long withResult = 0;
        long failed = 0;
        for (String check : Vocabulary.CRITICAL_SMOKE_CHECKS) {
            SmokeSeries series = smoke.get(check);
            Optional<SmokeResult> latest = series == null ? Optional.empty() : series.latest(from, now);
            if (latest.isPresent()) {
                withResult++;
                failed += latest.get().passed() ? 0 : 1;
            }
        }
        return Observation.of(failed, withResult);
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** How many of the sorted values are at most {@code x}. */
    private static int countAtMost(long[] sorted, long x) {
        int index = Arrays.binarySearch(sorted, x);
        if (index < 0) {
            return -index - 1;
        }
        while (index + 1 < sorted.length && sorted[index + 1] == x) {
            index++;
        }
        return index + 1;
    }

    /** How many of the sorted values are below {@code x}. */
    private static int countBelow(long[] sorted, long x) {
        int index = Arrays.binarySearch(sorted, x);
        if (index < 0) {
            return -index - 1;
        }
        while (index > 0 && sorted[index - 1] == x) {
            index--;
        }
        return index;
    }

    /** One path's rollups by minute: prefix sums, and sparse tables for the two maxima. */
    private static final class PathSeries {
        private final long firstMinute;
        private final int minutes;
        private final long[] reports;
        private final long[] cycles;
        private final long[] errors;
        private final double[] p95;
        private final double[] cpu;
        private final double[][] maxCycle;
        private final long[][] maxMemory;

        PathSeries(List<RollupRow> rows) {
            firstMinute = rows.stream().mapToLong(r -> minuteOf(r.minute())).min().orElse(0);
            long last = rows.stream().mapToLong(r -> minuteOf(r.minute())).max().orElse(-1);
            minutes = (int) (last - firstMinute + 1);
            reports = new long[minutes + 1];
            cycles = new long[minutes + 1];
            errors = new long[minutes + 1];
            p95 = new double[minutes + 1];
            cpu = new double[minutes + 1];
            double[] cycleMax = new double[minutes];
            long[] memoryMax = new long[minutes];
            Arrays.fill(cycleMax, Double.NEGATIVE_INFINITY);
            Arrays.fill(memoryMax, Long.MIN_VALUE);
            for (RollupRow row : rows) {
                int i = (int) (minuteOf(row.minute()) - firstMinute);
                reports[i + 1] += row.reports();
                cycles[i + 1] += row.cycles();
                errors[i + 1] += row.errors();
                p95[i + 1] += row.p95WeightedSum();
                cpu[i + 1] += row.cpuSum();
                cycleMax[i] = Math.max(cycleMax[i], row.cycleTimeMaxMs());
                memoryMax[i] = Math.max(memoryMax[i], row.memoryMaxBytes());
            }
            for (int i = 1; i <= minutes; i++) {
                reports[i] += reports[i - 1];
                cycles[i] += cycles[i - 1];
                errors[i] += errors[i - 1];
                p95[i] += p95[i - 1];
                cpu[i] += cpu[i - 1];
            }
            int levels = 1;
            while ((1 << levels) <= minutes) {
                levels++;
            }
            maxCycle = new double[levels][];
            maxMemory = new long[levels][];
            maxCycle[0] = cycleMax;
            maxMemory[0] = memoryMax;
            for (int level = 1; level < levels; level++) {
                int span = 1 << level;
                int half = span / 2;
                maxCycle[level] = new double[minutes - span + 1];
                maxMemory[level] = new long[minutes - span + 1];
                for (int i = 0; i + span <= minutes; i++) {
                    maxCycle[level][i] = Math.max(maxCycle[level - 1][i], maxCycle[level - 1][i + half]);
                    maxMemory[level][i] = Math.max(maxMemory[level - 1][i], maxMemory[level - 1][i + half]);
                }
            }
        }

        private static long minuteOf(Instant at) {
            return Math.floorDiv(at.getEpochSecond(), 60);
        }

        RollupTotals totals(Instant from, Instant now) {
            int lo = (int) Math.max(0, Math.min(minutes, minuteOf(from) - firstMinute));
            int hi = (int) Math.min(minutes - 1L, minuteOf(now) - firstMinute);
            if (hi < lo) {
                return new RollupTotals(0, 0, 0, 0, null, null, 0);
            }
            long reportSum = reports[hi + 1] - reports[lo];
            int level = 31 - Integer.numberOfLeadingZeros(hi - lo + 1);
            double cycleMax = Math.max(maxCycle[level][lo], maxCycle[level][hi - (1 << level) + 1]);
            long memoryMax = Math.max(maxMemory[level][lo], maxMemory[level][hi - (1 << level) + 1]);
            return new RollupTotals(reportSum, cycles[hi + 1] - cycles[lo], errors[hi + 1] - errors[lo], p95[hi + 1] - p95[lo],
                    reportSum == 0 ? null : cycleMax, reportSum == 0 ? null : memoryMax, cpu[hi + 1] - cpu[lo]);
        }
    }

    /** Two counts at instants, in time order, with prefix sums: the sums over any closed time range. */
    private static final class TimeSums {
        record Point(Instant at, long first, long second) {
        }

        private final long[] at;
        private final long[] first;
        private final long[] second;

        TimeSums(List<Point> points) {
            List<Point> sorted = points.stream().sorted(Comparator.comparing(Point::at)).toList();
            at = new long[sorted.size()];
            first = new long[sorted.size() + 1];
            second = new long[sorted.size() + 1];
            for (int i = 0; i < sorted.size(); i++) {
                at[i] = nanos(sorted.get(i).at());
                first[i + 1] = first[i] + sorted.get(i).first();
                second[i + 1] = second[i] + sorted.get(i).second();
            }
        }

        /** {first, second} summed over the points in {@code [from, now]}. */
        long[] sums(Instant from, Instant now) {
            int lo = countBelow(at, nanos(from));
            int hi = countAtMost(at, nanos(now));
            return hi <= lo ? new long[2] : new long[]{first[hi] - first[lo], second[hi] - second[lo]};
        }
    }

    /** One smoke check's results in time order. */
    private static final class SmokeSeries {
        private final long[] at;
        private final List<SmokeResult> results;

        SmokeSeries(List<SmokeResult> unsorted) {
            results = unsorted.stream().sorted(Comparator.comparing(SmokeResult::at)).toList();
            at = results.stream().mapToLong(r -> nanos(r.at())).toArray();
        }

        /** The latest result in {@code [since, now]}. */
        Optional<SmokeResult> latest(Instant since, Instant now) {
            int upTo = countAtMost(at, nanos(now));
            if (upTo == 0 || at[upTo - 1] < nanos(since)) {
                return Optional.empty();
            }
            return Optional.of(results.get(upTo - 1));
        }
    }
}
