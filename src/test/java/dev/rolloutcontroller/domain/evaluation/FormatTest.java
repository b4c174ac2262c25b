package dev.rolloutcontroller.domain.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine's cheap number formatting writes exactly what {@code String.format(Locale.ROOT, ...)} writes. */
class FormatTest {

    @ParameterizedTest(name = "{0} with {1} decimals -> {2}")
    @CsvSource({
            "0.125,      2, 0.13",
            "0.15,       1, 0.2",
            "1.005,      2, 1.01",
            "2.675,      2, 2.68",
            "99.95,      1, 100.0",
            "-0.001,     2, -0.00",
            "-0.0,       2, -0.00",
            "0,          0, 0",
            "123456.785, 2, 123456.79",
            "1e20,       1, 100000000000000000000.0",
            "NaN,        2, NaN",
            "-Infinity,  1, -Infinity",
    })
    void shouldRoundHalfUpLikeStringFormat(double value, int decimals, String expected) {
        assertEquals(expected, Format.fixed(value, decimals));
        assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", value), Format.fixed(value, decimals));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0 | 0",
            "999 | 999",
            "1000 | 1,000",
            "-1000 | -1,000",
            "-100 | -100",
            "1234567 | 1,234,567",
            "-9223372036854775808 | -9,223,372,036,854,775,808",
    })
    void shouldGroupDigitsByThree(long count, String expected) {
        assertEquals(expected, Format.count(count));
    }

    @Test
    void shouldMatchStringFormatOnSeededRandomFigures() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> random.nextDouble(-500, 500);
                case 2 -> Math.round(random.nextDouble() * 100_000) / 1000.0 + 0.0005;
                default -> random.nextGaussian() * 1e9;
            };
            int decimals = i % 4;
            assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", value), Format.fixed(value, decimals), "value " + value);
            long count = random.nextLong() >> random.nextInt(64);
            assertEquals(String.format(Locale.ROOT, "%,d", count), Format.count(count), "count " + count);
        }
    }
}
