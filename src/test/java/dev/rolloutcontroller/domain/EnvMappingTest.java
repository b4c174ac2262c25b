package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvMappingTest {

    @ParameterizedTest(name = "[{0}] [{1}] -> [{2}] [{3}]")
    @CsvSource({
            ",                   ,                    TMUX_ORCHESTRATOR_, USE_MODULAR_MONITOR",
            "'',                 NEW_MONITOR,         '',                 NEW_MONITOR",
            "_,                  X,                   _,                  X",
            "APP1_,              _FLAG9,              APP1_,              _FLAG9",
            "TMUX_ORCHESTRATOR_, ,                    TMUX_ORCHESTRATOR_, USE_MODULAR_MONITOR",
    })
    void shouldAcceptShellSafeNamesAndDefaultMissingOnes(String envPrefix, String flagVariable, String prefix, String flag) {
        assertEquals(new Validated.Valid<>(new EnvMapping(prefix, flag)), EnvMapping.of(envPrefix, flagVariable, ""));
    }

    @ParameterizedTest(name = "[{0}] [{1}] -> {2}")
    @CsvSource({
            "tmux_,     FLAG,      envPrefix",
            "9LIVES_,   FLAG,      envPrefix",
            "A-B_,      FLAG,      envPrefix",
            "' ',       FLAG,      envPrefix",
            "PREFIX_,   '',        flagVariable",
            "PREFIX_,   9FLAG,     flagVariable",
            "PREFIX_,   flag,      flagVariable",
            "PREFIX_,   FLAG$(X),  flagVariable",
    })
    void shouldRejectANameAShellWouldNotTake(String envPrefix, String flagVariable, String field) {
        Validated<EnvMapping> result = EnvMapping.of(envPrefix, flagVariable, "env");

        assertEquals(List.of("env." + field), Fixtures.errorFields(result));
    }

    @Test
    void shouldAllowSixtyFourCharactersAndNoMore() {
        String sixtyFour = "A".repeat(64);

        assertEquals(new Validated.Valid<>(new EnvMapping(sixtyFour, sixtyFour)), EnvMapping.of(sixtyFour, sixtyFour, ""));
        assertEquals(List.of("envPrefix", "flagVariable"), Fixtures.errorFields(EnvMapping.of(sixtyFour + "A", sixtyFour + "A", "")));
        assertThrows(IllegalArgumentException.class, () -> new EnvMapping("lower_", "FLAG"));
    }

    @Test
    void shouldNameTheFourVariablesAfterThePrefix() {
        EnvMapping env = new EnvMapping("APP_", "NEW_PATH");

        assertEquals(List.of("APP_NEW_PATH", "APP_CANARY_SESSIONS", "APP_ROLLOUT_PERCENTAGE", "APP_SHADOW_MODE"),
                List.of(env.flagVar(), env.canaryVar(), env.percentageVar(), env.shadowVar()));
        assertEquals("TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR", EnvMapping.DEFAULT.flagVar());
    }
}
