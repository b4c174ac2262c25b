package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShellQuotingTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "abc          | 'abc'",
            "\"\"         | ''",
            "it's         | 'it'\\''s'",
            "''           | ''\\'''\\'''",
            "$(id)        | '$(id)'",
            "a b          | 'a b'",
    })
    void shouldWrapInSingleQuotesAndEscapeOnlyTheQuote(String value, String quoted) {
        assertEquals(quoted, ShellQuoting.singleQuote(value));
    }

    @Test
    void shouldRefuseANulCharacter() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuoting.singleQuote("a\0b"));
    }

    @Test
    void shouldWriteOneAssignmentPerLineInOrder() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("B_FLAG", "canary");
        variables.put("A_LIST", "s1,s2");

        assertEquals("B_FLAG='canary'\nA_LIST='s1,s2'\n", ShellQuoting.envLines(variables));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1ABC", "A-B", "A B", "A;B", "A=B", "$(id)"})
    void shouldRefuseANameAShellWouldNotAssign(String name) {
        assertThrows(IllegalArgumentException.class, () -> ShellQuoting.envLines(Map.of(name, "x")));
    }

    static Stream<Arguments> hostileValuesInEachShell() {
        Stream<String> values = Stream.of(
                "it's",
                "'",
                "''''",
                "'; touch /tmp/rollout-pwned; echo '",
                "$(touch /tmp/rollout-pwned)",
                "`touch /tmp/rollout-pwned`",
                "${HOME}$PATH",
                "\"double\" \\ backslash \\'",
                "line1\nline2\n",
                "\n",
                "trailing newline and spaces  \n\n",
                "a; b && c || d | e > /tmp/rollout-pwned",
                "!! !$ #comment",
                "tab\tand\rcarriage",
                "séance-🚀-セッション",
                "");
        return values.flatMap(value -> Stream.of("/bin/sh", "/bin/bash").map(shell -> Arguments.of(shell, value)));
    }

    /** The real test: a shell evals the lines and hands back exactly the values, having run none of them. */
    @ParameterizedTest(name = "{0}: [{1}]")
    @MethodSource("hostileValuesInEachShell")
    void shouldRoundTripHostileValuesThroughARealShellEval(String shell, String value) throws Exception {
        assertTrue(Files.isExecutable(Path.of(shell)), shell + " is needed for this test");
        Files.deleteIfExists(Path.of("/tmp/rollout-pwned"));
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("HOSTILE", value);
        variables.put("AFTER", "still here");
        String lines = ShellQuoting.envLines(variables);

        // The lines go in on stdin and the values come back NUL-separated, as UTF-8 bytes both ways.
        String output = run(shell, "lines=$(cat); eval \"$lines\"; printf '%s\\0%s\\0' \"$HOSTILE\" \"$AFTER\"", lines);

        assertEquals(value + "\0still here\0", output);
        assertTrue(Files.notExists(Path.of("/tmp/rollout-pwned")), "the value was executed");
    }

    private static String run(String shell, String script, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(shell, "-c", script).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "shell did not finish");
        assertEquals(0, process.exitValue(), new String(output, StandardCharsets.UTF_8));
        return new String(output, StandardCharsets.UTF_8);
    }
}
