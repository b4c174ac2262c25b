package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** The check as it was written with a regex, kept as the reference the hand-written one must agree with. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{C}\\p{Z}]");

    private static Optional<String> sessionIdProblemByRegex(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("a session id must be 1 to 128 characters (got none)");
        }
        int length = id.codePointCount(0, id.length());
        if (length > 128) {
            return Optional.of("a session id must be at most 128 characters (got " + length + ")");
        }
        if (id.indexOf(',') >= 0) {
            return Optional.of("a session id must not contain a comma: commas separate the ids in CANARY_SESSIONS");
        }
        Matcher invisible = INVISIBLE.matcher(id);
        if (invisible.find()) {
            int codePoint = id.codePointAt(invisible.start());
            int position = id.codePointCount(0, invisible.start());
            return Optional.of(String.format(Locale.ROOT,
                    "a session id must not contain whitespace or invisible characters (U+%04X at position %d)", codePoint, position));
        }
        return Optional.empty();
    }

    /**
     * Characters drawn from pools weighted towards the edges: printable ASCII, ASCII controls, space and
     * comma, Latin-1 (no-break space, soft hyphen), any BMP character, lone high and low surrogates,
     * and any supplementary code point (emoji, private use, unassigned, tag characters).
     */
    private static String randomSessionId(Random random, int codePoints) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> id.append((char) (0x21 + random.nextInt(0x7f - 0x21)));
                case 4 -> id.append((char) random.nextInt(0x20));
                case 5 -> id.append(random.nextBoolean() ? ' ' : random.nextBoolean() ? ',' : '\u007f');
                case 6 -> id.append((char) (0x80 + random.nextInt(0x80)));
                case 7 -> id.append((char) random.nextInt(0x10000));
                case 8 -> id.append((char) (random.nextBoolean() ? 0xd800 + random.nextInt(0x400) : 0xdc00 + random.nextInt(0x400)));
                default -> id.appendCodePoint(0x10000 + random.nextInt(0x110000 - 0x10000));
            }
        }
        return id.toString();
    }

    private static Stream<String> sessionIdsAtTheEdges() {
        Random random = new Random(14);
        Stream<String> fixed = Stream.of(null, "", "x", "x".repeat(128), "x".repeat(129), "🚀".repeat(64), "🚀".repeat(128),
                "🚀".repeat(129), "x".repeat(127) + "🚀", "x".repeat(128) + "\uD800", "a\uD83D", "\uDE80a", "\uDE80\uD83D",
                "x\uDB40\uDC01", "x\uDB80\uDC00", "x\uD83F\uDFFF", "a, b", ",\u0000");
        // Mostly short ids, so that most draws pass the length and comma checks and reach the character check.
        Stream<String> drawn = IntStream.range(0, 20_000).mapToObj(i -> randomSessionId(random,
                i % 100 == 0 ? 120 + random.nextInt(20) : 1 + random.nextInt(random.nextBoolean() ? 4 : 12)));
        return Stream.concat(fixed, drawn);
    }

    @Test
    void shouldJudgeEverySessionIdAsTheRegexDid() {
        List<String> ids = sessionIdsAtTheEdges().toList();
        int accepted = 0;
        for (String id : ids) {
            Optional<String> problem = Identifiers.sessionIdProblem(id);
            assertEquals(sessionIdProblemByRegex(id), problem, () -> "for " + codePoints(id));
            accepted += problem.isEmpty() ? 1 : 0;
        }
        // The draw must exercise both answers, or the comparison proves little.
        assertTrue(accepted > 1_000 && accepted < ids.size() - 1_000, accepted + " of " + ids.size() + " accepted");
    }

    private static String codePoints(String id) {
        return id == null ? "null" : id.codePoints().mapToObj(c -> String.format(Locale.ROOT, "U+%04X", c)).toList().toString();
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
