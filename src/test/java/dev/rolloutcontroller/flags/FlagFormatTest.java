package dev.rolloutcontroller.flags;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlagFormatTest {

    @ParameterizedTest(name = "format={0} Accept={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null | null                                         | JSON",
            "null | */*                                          | JSON",
            "null | application/json                             | JSON",
            "null | text/plain                                   | ENV",
            "null | TEXT/PLAIN; charset=utf-8                    | ENV",
            "null | text/*                                       | ENV",
            "null | text/plain, application/json                 | JSON",
            "null | application/json;q=0.9, text/plain           | ENV",
            "null | text/plain;q=0.2, */*;q=0.1                  | ENV",
            "null | text/plain;q=0.2, application/*;q=0.5        | JSON",
            "null | text/html,application/xhtml+xml,*/*;q=0.8    | JSON",
            "null | text/plain;q=0, */*                          | JSON",
            "null | text/plain;q=bad, application/json;q=0.1     | JSON",
            "env  | application/json                             | ENV",
            "json | text/plain                                   | JSON",
    })
    void shouldPreferJsonUnlessTextIsPreferredOutright(String format, String accept, FlagFormat expected) {
        assertEquals(Optional.of(expected), FlagFormat.choose(format, accept));
    }

    @Test
    void shouldRefuseUnknownFormat() {
        assertEquals(Optional.empty(), FlagFormat.choose("yaml", "text/plain"));
        assertEquals(Optional.empty(), FlagFormat.choose("", null));
    }
}
