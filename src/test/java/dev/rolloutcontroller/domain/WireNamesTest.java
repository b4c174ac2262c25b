package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireNamesTest {

    @ParameterizedTest
    @CsvSource({
            "START,     start",
            "ADVANCE,   advance",
            "STEP_BACK, step-back",
            "PAUSE,     pause",
            "RESUME,    resume",
            "ROLLBACK,  rollback",
            "RESTART,   restart",
    })
    void shouldMapEachActionToItsWireName(Action action, String wireName) {
        assertEquals(wireName, action.wireName());
        assertEquals(action, Action.fromWireName(wireName).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
            "ROLLBACK,  rollback",
            "STEP_BACK, step-back",
            "PAUSE,     pause",
    })
    void shouldMapEachTriggerActionToItsWireName(TriggerAction action, String wireName) {
        assertEquals(wireName, action.wireName());
        assertEquals(action, TriggerAction.fromWireName(wireName).orElseThrow());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "START", "step_back", "stepback", " advance", "forward"})
    void shouldNotParseAnUnknownActionName(String wireName) {
        assertTrue(Action.fromWireName(wireName).isEmpty());
        assertTrue(TriggerAction.fromWireName(wireName).isEmpty());
    }
}
