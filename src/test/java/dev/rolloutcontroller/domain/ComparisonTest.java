package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ComparisonTest {

    @ParameterizedTest
    @CsvSource({
            "<,  LT", "lt, LT", "LT, LT",
            "<=, LE", "≤,  LE", "le, LE",
            ">,  GT", "gt, GT",
            ">=, GE", "≥,  GE", "ge, GE", "Ge, GE",
            "=,  EQ", "==, EQ", "eq, EQ",
    })
    void shouldParseEverySpellingOfAComparison(String text, Comparison expected) {
        assertEquals(expected, Comparison.parse(text).orElseThrow());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "=<", "=>", "<>", "!=", "≠", "===", "less", " <", "< "})
    void shouldRejectAnUnknownComparison(String text) {
        assertTrue(Comparison.parse(text).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Comparison.class)
    void shouldParseItsOwnSymbol(Comparison comparison) {
        assertEquals(comparison, Comparison.parse(comparison.symbol()).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
            "LT, 0.0009, 0.001, true",
            "LT, 0.001,  0.001, false",
            "LT, 0.0011, 0.001, false",
            "LE, 0.001,  0.001, true",
            "LE, 0.0011, 0.001, false",
            "GT, 0.05,   0.05,  false",
            "GT, 0.0501, 0.05,  true",
            "GE, 3,      3,     true",
            "GE, 2,      3,     false",
            "EQ, 0,      0,     true",
            "EQ, -0.0,   0,     true",
            "EQ, 0.0001, 0,     false",
    })
    void shouldCompareObservedWithThreshold(Comparison op, double observed, double threshold, boolean expected) {
        assertEquals(expected, op.test(observed, threshold));
    }

    @ParameterizedTest
    @EnumSource(Comparison.class)
    void shouldNeverHoldForNaN(Comparison op) {
        assertFalse(op.test(Double.NaN, 1));
        assertFalse(op.test(1, Double.NaN));
    }
}
