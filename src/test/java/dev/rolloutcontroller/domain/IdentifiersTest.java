package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"modular-monitor", "a", "0", "v2", "9-lives", "a-", "a--b"})
    void shouldAcceptASlugKey(String key) {
        assertTrue(Identifiers.isValidKey(key));
    }

    @ParameterizedTest
    @CsvSource({"63, true", "64, false"})
    void shouldLimitAKeyToSixtyThreeCharacters(int length, boolean valid) {
        assertEquals(valid, Identifiers.isValidKey("k".repeat(length)));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "-a", "Modular", "modular_monitor", "a.b", "a b", "é", "a/b"})
    void shouldRejectAKeyThatIsNotASlug(String key) {
        assertFalse(Identifiers.isValidKey(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"session-1", "x", "pm:agent.1", "séance", "🚀", "セッション/7", "a'b\"c$(d)`e`"})
    void shouldAcceptAPrintableSessionId(String id) {
        assertEquals(List.of(), Identifiers.sessionIdProblem(id).stream().toList());
    }

    static Stream<Arguments> badSessionIds() {
        return Stream.of(
                Arguments.of(null, "1 to 128 characters"),
                Arguments.of("", "1 to 128 characters"),
                Arguments.of("x".repeat(129), "at most 128 characters (got 129)"),
                Arguments.of("🚀".repeat(129), "at most 128 characters (got 129)"),
                Arguments.of("a,b", "comma"),
                Arguments.of("a b", "U+0020 at position 1"),
                Arguments.of("tab\tid", "U+0009 at position 3"),
                Arguments.of("line\nbreak", "U+000A"),
                Arguments.of("nul\0", "U+0000"),
                Arguments.of("no\u00A0break", "U+00A0"),
                Arguments.of("zero\u200Bwidth", "U+200B"),
                Arguments.of("bidi\u202Eevil", "U+202E"),
                Arguments.of("line\u2028separator", "U+2028"),
                Arguments.of("🚀lone\uD800", "U+D800 at position 5"),
                Arguments.of("bom\uFEFF", "U+FEFF"),
                Arguments.of("del\u007F", "U+007F"));
    }

    @ParameterizedTest
    @MethodSource("badSessionIds")
    void shouldExplainWhatIsWrongWithASessionId(String id, String expectedFragment) {
        String problem = Identifiers.sessionIdProblem(id).orElseThrow();
        assertTrue(problem.contains(expectedFragment), problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a b c       | a b c",
            "a a b a     | a b",
            "b a b       | b a",
            "_           | ",
    })
    void shouldDropDuplicatesKeepingTheFirstOccurrence(String ids, String expected) {
        List<String> input = ids.equals("_") ? List.of() : Arrays.asList(ids.split(" "));
        List<String> distinct = expected == null ? List.of() : Arrays.asList(expected.split(" "));

        Validated<List<String>> result = Identifiers.canaryList(input, "sessions");

        assertEquals(new Validated.Valid<>(distinct), result);
    }

    @Test
    void shouldNameEachBadIdByIndexAndCollectThemAll() {
        List<String> ids = Arrays.asList("ok-1", "bad id", "ok-2", null, "a,b");

        Validated<List<String>> result = Identifiers.canaryList(ids, "canary.sessions");

        assertEquals(List.of("canary.sessions[1]", "canary.sessions[3]", "canary.sessions[4]"), Fixtures.errorFields(result));
    }

    @Test
    void shouldRequireAList() {
        Validated<List<String>> result = Identifiers.canaryList(null, "sessions");

        assertEquals(List.of("sessions"), Fixtures.errorFields(result));
    }

    @ParameterizedTest(name = "{0} ids of which {1} distinct -> valid {2}")
    @CsvSource({
            "10000, 10000, true",
            "10001, 10000, true",
            "10001, 10001, false",
            "20000, 15000, false",
    })
    void shouldAllowAtMostTenThousandDistinctIds(int total, int distinct, boolean valid) {
        List<String> ids = new ArrayList<>(IntStream.range(0, distinct).mapToObj(i -> "session-" + i).toList());
        IntStream.range(0, total - distinct).forEach(i -> ids.add("session-" + i));

        Validated<List<String>> result = Identifiers.canaryList(ids, "sessions");

        if (valid) {
            assertEquals(new Validated.Valid<>(ids.subList(0, distinct)), result);
        } else {
            assertEquals(List.of("sessions"), Fixtures.errorFields(result));
        }
    }
}
