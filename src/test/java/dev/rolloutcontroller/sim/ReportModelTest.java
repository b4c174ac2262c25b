package dev.rolloutcontroller.sim;

import dev.rolloutcontroller.sim.ReportModel.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's reports: reproducible from the seed, valid on the wire, and drawn from the right distributions. */
class ReportModelTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant END = START.plusSeconds(10);
    private static final PathProfile PROFILE = PathProfile.healthy().withErrorRate(0.01);

    @Test
    void shouldGiveTheSameReportForTheSameSeedAndIdentity() {
        Report first = new ReportModel(42, "modular-monitor", 50).report(3, "s3", 7, "new", PROFILE, START, END, START, 4L);
        Report again = new ReportModel(42, "modular-monitor", 50).report(3, "s3", 7, "new", PROFILE, START, END, START, 4L);
        assertEquals(first, again);
    }

    @Test
    void shouldGiveOtherReportsForAnotherSeedRolloutOrSequence() {
        Report base = new ReportModel(42, "modular-monitor", 50).report(3, "s3", 7, "new", PROFILE, START, END, START, 4L);
        Report otherSeed = new ReportModel(43, "modular-monitor", 50).report(3, "s3", 7, "new", PROFILE, START, END, START, 4L);
        Report otherRollout = new ReportModel(42, "other", 50).report(3, "s3", 7, "new", PROFILE, START, END, START, 4L);
        Report otherSequence = new ReportModel(42, "modular-monitor", 50).report(3, "s3", 8, "new", PROFILE, START, END, START, 4L);
        assertNotEquals(base.reportId(), otherSeed.reportId());
        assertNotEquals(base.reportId(), otherRollout.reportId());
        assertNotEquals(base.reportId(), otherSequence.reportId());
        assertNotEquals(base.cycleTimeP95Ms(), otherSeed.cycleTimeP95Ms());
    }

    @Test
    void shouldSatisfyTheRulesTheServiceChecks() {
        ReportModel model = new ReportModel(1, "modular-monitor", 50);
        for (int sequence = 0; sequence < 200; sequence++) {
            Report r = model.report(sequence % 10, "s" + sequence, sequence, "legacy", PROFILE, START, END, START, null);
            assertEquals(4, UUID.fromString(r.reportId()).version());
            assertTrue(Instant.parse(r.periodEnd()).isAfter(Instant.parse(r.periodStart())));
            assertTrue(r.errors() >= 0 && r.errors() <= r.cycles(), "0 <= errors <= cycles");
            assertTrue(r.cycleTimeP50Ms() <= r.cycleTimeP95Ms() && r.cycleTimeP95Ms() <= r.cycleTimeMaxMs(), "p50 <= p95 <= max");
            assertTrue(r.cycles() == 500 || r.cycles() == 501, "10 s at 50 cycles/s, got " + r.cycles());
            assertTrue(r.memoryBytes() > 0 && r.cpuPercent() >= 0);
        }
    }

    @Test
    void shouldGrowMemoryAsTheProfileSays() {
        ReportModel model = new ReportModel(1, "modular-monitor", 1);
        PathProfile leaking = PathProfile.healthy().withMemoryGrowthPerHour(0.5);
        Instant later = START.plus(Duration.ofHours(2));
        Report early = model.report(0, "s0", 0, "new", leaking, START, END, START, null);
        Report late = model.report(0, "s0", 1, "new", leaking, later, later.plusSeconds(10), START, null);
        assertEquals(2.0, (double) late.memoryBytes() / early.memoryBytes(), 0.01);
    }

    @ParameterizedTest
    @CsvSource({"1000, 0.001", "100000, 0.0001", "100000, 0.05", "2000, 0.5"})
    void shouldDrawBinomialCountsWithTheRightMeanAndSpread(long n, double p) {
        SplittableRandom random = new SplittableRandom(9);
        int draws = 20_000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < draws; i++) {
            long x = ReportModel.binomial(random, n, p);
            sum += x;
            squares += (double) x * x;
        }
        double mean = sum / draws;
        double variance = squares / draws - mean * mean;
        double expectedMean = n * p;
        double expectedVariance = n * p * (1 - p);
        assertEquals(expectedMean, mean, 5 * Math.sqrt(expectedVariance / draws), "mean");
        assertEquals(expectedVariance, variance, 0.05 * expectedVariance, "variance");
    }
}
