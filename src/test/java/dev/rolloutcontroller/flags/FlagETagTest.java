package dev.rolloutcontroller.flags;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagETagTest {

    private static final String TAG = "\"v7-00ff00ff00ff00ff\"";

    @ParameterizedTest(name = "If-None-Match: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\"v7-00ff00ff00ff00ff\"                          | true",
            "W/\"v7-00ff00ff00ff00ff\"                        | true",
            "\"v6-00ff00ff00ff00ff\", \"v7-00ff00ff00ff00ff\" | true",
            "\"a\",W/\"v7-00ff00ff00ff00ff\"                  | true",
            "*                                                | true",
            "\"v6-00ff00ff00ff00ff\"                          | false",
            "v7-00ff00ff00ff00ff                              | false",
            "\"v7-00ff00ff00ff00f\"                           | false",
            "\"v7-00ff00ff00ff00ff\"x                         | false",
            "''                                               | false",
    })
    void shouldMatchIfNoneMatchWeakly(String ifNoneMatch, boolean matches) {
        assertEquals(matches, ETags.matches(ifNoneMatch, TAG));
    }

    @Test
    void shouldNotMatchWithoutHeader() {
        assertEquals(false, ETags.matches(null, TAG));
    }

    @Test
    void shouldDifferByVersionSeedRepresentationAndSession() {
        long seed = ETags.seed("modular-monitor", 1_700_000_000_000L);
        Set<String> tags = new HashSet<>();
        tags.add(ETags.tag('v', 3, seed, 'j', "s1"));
        tags.add(ETags.tag('v', 4, seed, 'j', "s1"));
        tags.add(ETags.tag('v', 3, ETags.seed("modular-monitor", 1_700_000_000_001L), 'j', "s1"));
        tags.add(ETags.tag('v', 3, ETags.seed("modular-monitoR", 1_700_000_000_000L), 'j', "s1"));
        tags.add(ETags.tag('v', 3, seed, 'e', "s1"));
        tags.add(ETags.tag('v', 3, seed, 'j', "s2"));
        tags.add(ETags.tag('v', 3, seed, 'j', null));
        assertEquals(7, tags.size(), tags.toString());
        assertEquals(ETags.tag('v', 3, seed, 'j', "s1"), ETags.tag('v', 3, seed, 'j', "s1"));
        tags.forEach(tag -> assertTrue(tag.matches("\"v[0-9]+-[0-9a-f]{16}\""), tag));
    }

    @Test
    void shouldKeepQuotesOfHostileSessionsOutOfTheTag() {
        String tag = ETags.tag('v', 1, 0, 'j', "a\"b, W/\"c\"");
        assertTrue(tag.matches("\"v1-[0-9a-f]{16}\""), tag);
    }

    @Test
    void shouldSeparateConcatenatedParts() {
        assertNotEquals(ETags.mix(ETags.mix(0, "ab"), "c"), ETags.mix(ETags.mix(0, "a"), "bc"));
    }
}
