package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GateAndConditionTest {

    private static MetricCondition condition(Double threshold, String relativeTo, double factor, double offset) {
        return new MetricCondition("error_rate", null, "new", Comparison.LE, threshold, relativeTo, factor, offset, 0, null);
    }

    static Stream<Arguments> everyGateKind() {
        return Stream.of(
                Arguments.of(new Gate.Soak("d"), "soak"),
                Arguments.of(new Gate.SignOff("qa-lead", "d"), "sign-off"),
                Arguments.of(new Gate.MetricGate(condition(0.1, null, 1, 0), "d"), "metric"),
                Arguments.of(new Gate.Smoke(List.of("pm-recovery"), "d"), "smoke"),
                Arguments.of(new Gate.Condition("canary-list-not-empty", "d"), "condition"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyGateKind")
    void shouldNameEachGateKindAsTheVocabularyDoes(Gate gate, String kind) {
        assertEquals(kind, gate.kind());
    }

    @Test
    void shouldListEveryGateKindInTheVocabulary() {
        assertEquals(Vocabulary.GATE_KINDS, everyGateKind().map(arguments -> ((Gate) arguments.get()[0]).kind()).toList());
    }

    @ParameterizedTest(name = "{0} × {1} + {2} = {3}")
    @CsvSource({
            "120,   1.1, 0,     132",
            "0.002, 1,   0.001, 0.003",
            "0,     1.5, 0,     0",
            "50,    1,   0,     50",
    })
    void shouldScaleTheBaseByFactorThenAddTheOffset(double base, double factor, double offset, double limit) {
        assertEquals(limit, condition(null, "baseline", factor, offset).limit(base), 1e-12);
    }

    @Test
    void shouldRequireExactlyOneOfThresholdAndRelativeTo() {
        assertThrows(IllegalArgumentException.class, () -> condition(null, null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> condition(0.1, "baseline", 1, 0));
    }
}
