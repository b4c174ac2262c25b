package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketingTest {

    private static final String GROUP = "modular-monitor";

    /**
     * The first two rows are the cross-SDK values Unleash asserts in its Java, Node and Go clients
     * (StrategyUtilsTest). The others are sessions whose bucket sits exactly on a boundary, found and
     * checked with a separate Python transcription of murmur3 x86_32.
     */
    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource({
            "gr1,             123,         73",
            "groupX,          999,         25",
            "modular-monitor, session-36,  1",
            "modular-monitor, session-218, 10",
            "modular-monitor, session-1,   11",
            "modular-monitor, session-94,  50",
            "modular-monitor, session-8,   51",
            "modular-monitor, session-95,  100",
    })
    void shouldPutKnownSessionsInKnownBuckets(String group, String sessionId, int expected) {
        assertEquals(expected, Bucketing.bucket(group, sessionId));
        assertEquals(expected, Murmur3Oracle.bucket((group + ":" + sessionId).getBytes(StandardCharsets.UTF_8)));
    }

    /** Expected values from the Python oracle over UTF-8 bytes; ISO-8859-1 or UTF-16 bytes give other buckets. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "séance-ü,     22",
            "セッション-7, 23",
            "🚀-rocket,    63",
            "Ωmega,        91",
    })
    void shouldHashTheUtf8BytesOfNonAsciiSessionIds(String sessionId, int expected) {
        String text = GROUP + ":" + sessionId;

        assertEquals(expected, Bucketing.bucket(GROUP, sessionId));
        assertNotEquals(expected, Murmur3Oracle.bucket(text.getBytes(StandardCharsets.ISO_8859_1)));
        assertNotEquals(expected, Murmur3Oracle.bucket(text.getBytes(StandardCharsets.UTF_16BE)));
    }

    @Test
    void shouldAgreeWithTheReferenceTranscriptionForEveryTailLength() {
        // Ids of every length mod 4 and some multi-byte characters, so each tail branch of the hash runs.
        for (int i = 0; i < 10_000; i++) {
            String sessionId = "s".repeat(i % 7) + i + (i % 3 == 0 ? "é" : "") + (i % 5 == 0 ? "語" : "");
            byte[] bytes = (GROUP + ":" + sessionId).getBytes(StandardCharsets.UTF_8);
            assertEquals(Murmur3Oracle.bucket(bytes), Bucketing.bucket(GROUP, sessionId), sessionId);
        }
    }

    @Test
    void shouldSpreadSessionsEvenlyOverTheHundredBuckets() {
        int sessions = 100_000;
        int[] counts = new int[101];
        for (int i = 0; i < sessions; i++) {
            int bucket = Bucketing.bucket(GROUP, "tmux-session-" + i);
            assertTrue(bucket >= 1 && bucket <= 100, "bucket " + bucket);
            counts[bucket]++;
        }
        double expected = sessions / 100.0;
        double chiSquare = 0;
        for (int bucket = 1; bucket <= 100; bucket++) {
            assertTrue(Math.abs(counts[bucket] - expected) <= 0.15 * expected, "bucket " + bucket + " holds " + counts[bucket]);
            chiSquare += Math.pow(counts[bucket] - expected, 2) / expected;
        }
        // 99 degrees of freedom: a uniform hash exceeds 148.2 with probability 0.001.
        assertTrue(chiSquare < 148.2, "chi-square " + chiSquare);
    }

    @Test
    void shouldDependOnTheGroup() {
        List<String> sessions = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        long moved = sessions.stream().filter(s -> Bucketing.bucket("group-one", s) != Bucketing.bucket("group-two", s)).count();
        assertTrue(moved >= 6, "only " + moved + " of 8 sessions changed bucket with the group");
    }
}
