package dev.rolloutcontroller.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * What a session observed over a period, as a pure function of the seed, the rollout, the session, the report's
 * sequence number, the path and the period: the same inputs always give the same report, id included, so the same
 * seed replays the same fleet. Cycle times are log-normal; a report's percentiles are the empirical ones of up to
 * {@link #SAMPLED_CYCLES} of its cycles, so they carry the noise a real daemon's would.
 */
final class ReportModel {

    static final int SAMPLED_CYCLES = 200;
    /** Sessions differ: each has its own speed and memory factor, log-normal with this shape. */
    static final double SESSION_SPREAD = 0.1;

    /** One report in the wire form of {@code POST /api/v1/rollouts/{key}/reports}. */
    record Report(String reportId, String sessionId, String path, String periodStart, String periodEnd, long cycles,
                  long errors, double cycleTimeP50Ms, double cycleTimeP95Ms, double cycleTimeMaxMs, long memoryBytes,
                  double cpuPercent, Long flagVersion) {
    }

    private final long seed;
    private final long rolloutHash;
    private final double cyclesPerSecond;

    ReportModel(long seed, String rolloutKey, double cyclesPerSecond) {
        this.seed = seed;
        this.rolloutHash = rolloutKey.hashCode();
        this.cyclesPerSecond = cyclesPerSecond;
    }

    Report report(int session, String sessionId, long sequence, String path, PathProfile profile, Instant start, Instant end,
                  Instant sessionStart, Long flagVersion) {
        SplittableRandom random = random(session, sequence, 1);
        UUID id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
        double seconds = Duration.between(start, end).toNanos() / 1e9;
        long cycles = (long) Math.floor(cyclesPerSecond * seconds + random.nextDouble());
        long errors = binomial(random, cycles, profile.errorRate());
        SplittableRandom sessionRandom = random(session, -1, 0);
        double speed = Math.exp(SESSION_SPREAD * sessionRandom.nextGaussian());
        double memoryFactor = Math.exp(SESSION_SPREAD * sessionRandom.nextGaussian());
        double p50 = 0;
        double p95 = 0;
        double max = 0;
        int sampled = (int) Math.min(cycles, SAMPLED_CYCLES);
        if (sampled > 0) {
            double[] times = new double[sampled];
            double median = profile.cycleP50Ms() * speed;
            for (int i = 0; i < sampled; i++) {
                times[i] = median * Math.exp(profile.cycleSigma() * random.nextGaussian());
            }
            Arrays.sort(times);
            p50 = round(times[(int) Math.ceil(0.50 * sampled) - 1]);
            p95 = round(times[(int) Math.ceil(0.95 * sampled) - 1]);
            max = round(times[sampled - 1]);
        }
        double hours = Math.max(0, Duration.between(sessionStart, end).toMillis() / 3_600_000d);
        long memory = Math.round(profile.memoryMb() * memoryFactor * (1 + profile.memoryGrowthPerHour() * hours) * 1024 * 1024);
        double cpu = round(Math.max(0, profile.cpuPercent() * (1 + 0.1 * random.nextGaussian())));
        return new Report(id.toString(), sessionId, path, text(start), text(end), cycles, errors, p50, p95, max, memory, cpu,
                flagVersion);
    }

    /** Shadow mismatches among {@code comparisons}, for one session's report and category. */
    long mismatches(int session, long sequence, int category, long comparisons, double rate) {
        return binomial(random(session, sequence, 2 + category), comparisons, rate);
    }

    /** Support tickets in one period of the fleet: Poisson with the given mean. */
    long tickets(long period, double mean) {
        return poisson(random(-1, period, 9), mean);
    }

    private SplittableRandom random(int session, long sequence, int stream) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ rolloutHash);
        h = mix(h ^ session);
        h = mix(h ^ sequence);
        return new SplittableRandom(mix(h ^ stream));
    }

    /** The SplitMix64 finaliser: a bijective scramble of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A binomial draw: exact by geometric skips while the mean is small, else the normal approximation (within a
     * fraction of a percent of the exact distribution there, and fast for the large counts a fleet produces).
     */
    static long binomial(SplittableRandom random, long n, double p) {
        if (n == 0 || p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        double mean = n * p;
        if (mean < 30) {
            double logQ = Math.log1p(-p);
            long count = 0;
            long position = 0;
            while (true) {
                position += (long) Math.floor(Math.log(1 - random.nextDouble()) / logQ) + 1;
                if (position > n) {
                    return count;
                }
                count++;
            }
        }
        long draw = Math.round(mean + Math.sqrt(mean * (1 - p)) * random.nextGaussian());
        return Math.max(0, Math.min(n, draw));
    }

    /** A Poisson draw by Knuth's method for small means, the normal approximation above 30. */
    static long poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean >= 30) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    private static String text(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
