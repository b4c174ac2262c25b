package dev.rolloutcontroller.domain.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WilsonTest {

    /** Reference values of the 95% Wilson score interval (e.g. R's binom::binom.wilson, prop.test without correction). */
    @ParameterizedTest(name = "{0}/{1} -> [{2}, {3}]")
    @CsvSource({
            "0,   100,   0,         0.0369935",
            "5,   100,   0.0215437, 0.1117505",
            "50,  100,   0.4038315, 0.5961685",
            "100, 100,   0.9630065, 1",
            "1,   1000,  0.0001765, 0.0056426",
            "0,   1000,  0,         0.0038268",
            "600, 10000, 0.0555121, 0.0648258",
            "100, 10000, 0.0082293, 0.0121470",
            "1,   1,     0.2065493, 1",
    })
    void shouldMatchKnownWilsonBounds(long events, long trials, double lower, double upper) {
        assertEquals(lower, Wilson.lower(events, trials), 5e-7);
        assertEquals(upper, Wilson.upper(events, trials), 5e-7);
    }

    /** The tipping point of a "< 0.1%" gate with no errors at all: z²/(n + z²) < 0.001 from n = 3,838. */
    @ParameterizedTest(name = "0/{0}: upper below 0.1% = {1}")
    @CsvSource({"3837, false", "3838, true", "3839, true", "1000, false"})
    void shouldNeed3838CleanTrialsForAnUpperBoundUnderATenthOfAPercent(long trials, boolean under) {
        assertEquals(under, Wilson.upper(0, trials) < 0.001, () -> "upper = " + Wilson.upper(0, trials));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"0, 1", "1, 3", "7, 10", "3, 3838", "999, 1000", "5, 100", "49999, 100000"})
    void shouldBracketThePointEstimateWithinZeroAndOne(long events, long trials) {
        double point = (double) events / trials;
        double lower = Wilson.lower(events, trials);
        double upper = Wilson.upper(events, trials);
        assertTrue(0 <= lower && lower <= point && point <= upper && upper <= 1, lower + " " + point + " " + upper);
        assertTrue(upper - lower > 0, "a finite sample never pins the rate down exactly");
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"0, 10", "0, 3838", "0, 1"})
    void shouldGiveExactlyZeroAsTheLowerBoundOfNoEvents(long events, long trials) {
        assertEquals(0.0, Wilson.lower(events, trials));
        assertEquals(1.0, Wilson.upper(trials, trials));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"0, 0"})
    void shouldKnowNothingWithoutTrials(long events, long trials) {
        assertEquals(0.0, Wilson.lower(events, trials));
        assertEquals(1.0, Wilson.upper(events, trials));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"-1, 10", "11, 10", "0, -1", "1, 0"})
    void shouldRejectImpossibleCounts(long events, long trials) {
        assertThrows(IllegalArgumentException.class, () -> Wilson.lower(events, trials));
        assertThrows(IllegalArgumentException.class, () -> Wilson.upper(events, trials));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"5, 100, 50, 1000", "1, 10, 100, 1000"})
    void shouldNarrowWithMoreTrialsAtTheSameRate(long fewEvents, long fewTrials, long manyEvents, long manyTrials) {
        double few = Wilson.upper(fewEvents, fewTrials) - Wilson.lower(fewEvents, fewTrials);
        double many = Wilson.upper(manyEvents, manyTrials) - Wilson.lower(manyEvents, manyTrials);
        assertTrue(many < few, many + " < " + few);
    }
}
