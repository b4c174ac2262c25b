package dev.rolloutcontroller.sim;

/**
 * How sessions behave on one path.
 *
 * @param errorRate           probability that a cycle fails
 * @param cycleP50Ms          median cycle time; cycle times are log-normal around it
 * @param cycleSigma          shape of the log-normal (0.5 puts p95 at about 2.3 × the median)
 * @param memoryMb            resident memory of a session's monitor at its start
 * @param memoryGrowthPerHour relative growth per hour (0.01 = 1%/h; a leak shows here)
 * @param cpuPercent          mean CPU of a session's monitor
 */
record PathProfile(double errorRate, double cycleP50Ms, double cycleSigma, double memoryMb, double memoryGrowthPerHour,
                   double cpuPercent) {

    PathProfile {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("error rate must be within 0..1 (got " + errorRate + ")");
        }
        if (!(cycleP50Ms > 0) || !(cycleSigma >= 0) || !(memoryMb > 0) || !(memoryGrowthPerHour >= 0) || !(cpuPercent >= 0)) {
            throw new IllegalArgumentException("cycle time and memory must be positive, sigma, growth and CPU not negative");
        }
    }

    static PathProfile healthy() {
        return new PathProfile(0.0001, 20, 0.5, 200, 0.0, 4.0);
    }

    PathProfile withErrorRate(double rate) {
        return new PathProfile(rate, cycleP50Ms, cycleSigma, memoryMb, memoryGrowthPerHour, cpuPercent);
    }

    PathProfile withCycleP50Ms(double ms) {
        return new PathProfile(errorRate, ms, cycleSigma, memoryMb, memoryGrowthPerHour, cpuPercent);
    }

    PathProfile withCycleSigma(double sigma) {
        return new PathProfile(errorRate, cycleP50Ms, sigma, memoryMb, memoryGrowthPerHour, cpuPercent);
    }

    PathProfile withMemoryMb(double mb) {
        return new PathProfile(errorRate, cycleP50Ms, cycleSigma, mb, memoryGrowthPerHour, cpuPercent);
    }

    PathProfile withMemoryGrowthPerHour(double growth) {
        return new PathProfile(errorRate, cycleP50Ms, cycleSigma, memoryMb, growth, cpuPercent);
    }

    PathProfile withCpuPercent(double cpu) {
        return new PathProfile(errorRate, cycleP50Ms, cycleSigma, memoryMb, memoryGrowthPerHour, cpu);
    }
}
