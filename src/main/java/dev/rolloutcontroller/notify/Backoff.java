package dev.rolloutcontroller.notify;

import java.time.Duration;

/**
 * When a failed delivery is tried again: the initial wait doubled after each failure, with ±25% jitter
 * so receivers that failed together are not retried in lockstep. At the defaults (30 s, 8 attempts) the
 * seven waits are about 30 s, 1, 2, 4, 8, 16 and 32 min: the last attempt comes about an hour after the first.
 */
public final class Backoff {

    static final double JITTER = 0.25;

    private Backoff() {
    }

    /**
     * @param failedAttempts attempts made so far, all failed (1 after the first)
     * @param random         uniform in [0, 1): 0 gives the shortest wait, 0.5 the nominal one
     */
    public static Duration delay(Duration initial, int failedAttempts, double random) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("a wait follows a failed attempt");
        }
        double nominal = initial.toMillis() * Math.pow(2, Math.min(failedAttempts - 1, 30));
        double factor = 1 - JITTER + 2 * JITTER * random;
        return Duration.ofMillis(Math.round(nominal * factor));
    }
}
