package dev.rolloutcontroller.sim;

import java.util.List;

/**
 * A fault injected into the new path, and optionally its fix. Unset figures keep the healthy profile.
 *
 * @param atSeconds       inject this long after the simulation starts
 * @param atPercentage    or inject when the flags first show the rollout active at this percentage or more
 * @param fixAfterSeconds end the fault this long after it was injected (null: never)
 * @param errorRate       the new path's error rate while injected
 * @param cycleFactor     multiplies the new path's cycle times while injected
 * @param memoryMb        the new path's memory while injected
 * @param ticketsPerHour  support tickets filed across the fleet while injected
 * @param failingSmoke    smoke checks that fail while injected
 */
record Regression(Double atSeconds, Integer atPercentage, Double fixAfterSeconds, Double errorRate, double cycleFactor,
                  Double memoryMb, double ticketsPerHour, List<String> failingSmoke) {

    static final Regression NONE = new Regression(null, null, null, null, 1, null, 0, List.of());

    Regression {
        failingSmoke = List.copyOf(failingSmoke);
        if (atSeconds != null && atPercentage != null) {
            throw new IllegalArgumentException("inject either at a time or at a percentage, not both");
        }
        if (!(cycleFactor > 0)) {
            throw new IllegalArgumentException("the cycle-time factor must be positive (got " + cycleFactor + ")");
        }
    }

    /** The new path's profile while the fault is in. */
    PathProfile apply(PathProfile healthy) {
        PathProfile faulty = healthy.withCycleP50Ms(healthy.cycleP50Ms() * cycleFactor);
        if (errorRate != null) {
            faulty = faulty.withErrorRate(errorRate);
        }
        if (memoryMb != null) {
            faulty = faulty.withMemoryMb(memoryMb);
        }
        return faulty;
    }

    Regression at(Double seconds, Integer percentage) {
        return new Regression(seconds, percentage, fixAfterSeconds, errorRate, cycleFactor, memoryMb, ticketsPerHour, failingSmoke);
    }

    Regression fixedAfter(Double seconds) {
        return new Regression(atSeconds, atPercentage, seconds, errorRate, cycleFactor, memoryMb, ticketsPerHour, failingSmoke);
    }

    Regression withErrorRate(Double rate) {
        return new Regression(atSeconds, atPercentage, fixAfterSeconds, rate, cycleFactor, memoryMb, ticketsPerHour, failingSmoke);
    }

    Regression withCycleFactor(double factor) {
        return new Regression(atSeconds, atPercentage, fixAfterSeconds, errorRate, factor, memoryMb, ticketsPerHour, failingSmoke);
    }

    Regression withMemoryMb(Double mb) {
        return new Regression(atSeconds, atPercentage, fixAfterSeconds, errorRate, cycleFactor, mb, ticketsPerHour, failingSmoke);
    }

    Regression withTicketsPerHour(double perHour) {
        return new Regression(atSeconds, atPercentage, fixAfterSeconds, errorRate, cycleFactor, memoryMb, perHour, failingSmoke);
    }

    Regression withFailingSmoke(List<String> checks) {
        return new Regression(atSeconds, atPercentage, fixAfterSeconds, errorRate, cycleFactor, memoryMb, ticketsPerHour, checks);
    }
}
