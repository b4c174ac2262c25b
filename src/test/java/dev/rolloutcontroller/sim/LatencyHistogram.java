package dev.rolloutcontroller.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request latencies in 10 µs buckets up to 1 s, recorded from many threads without locks. Quantiles
 * are read at the bucket's upper edge, so they never flatter; one above 1 s reads as the maximum.
 */
final class LatencyHistogram {

    static final long BUCKET_NANOS = 10_000;
    static final int BUCKETS = 100_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong maxNanos = new AtomicLong();

    void record(long nanos) {
        long bucket = Math.max(nanos, 0) / BUCKET_NANOS;
        counts.incrementAndGet((int) Math.min(bucket, BUCKETS));
        total.incrementAndGet();
        maxNanos.accumulateAndGet(nanos, Math::max);
    }

    long count() {
        return total.get();
    }

    /** The latency (ms) at or below which {@code quantile} of the requests completed; NaN when empty. */
    double quantileMillis(double quantile) {
        long n = total.get();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(quantile * n);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(rank, 1)) {
                return i == BUCKETS ? maxNanos.get() / 1e6 : (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return maxNanos.get() / 1e6;
    }

    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", count());
        if (count() > 0) {
            summary.put("p50Ms", round(quantileMillis(0.50)));
            summary.put("p99Ms", round(quantileMillis(0.99)));
            summary.put("maxMs", round(maxNanos.get() / 1e6));
        }
        return summary;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
