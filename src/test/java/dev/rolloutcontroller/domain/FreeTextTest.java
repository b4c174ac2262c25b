package dev.rolloutcontroller.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FreeTextTest {

    @ParameterizedTest(name = "[{index}] \"{0}\" multi-line={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            plain text                 | false | ok
            plain text                 | true  | ok
            'naïve café ✓ 日本'          | false | ok
            line one\\nline two         | true  | ok
            line one\\nline two         | false | U+000A at position 8
            'col\\tcol'                 | true  | ok
            'col\\tcol'                 | false | U+0009 at position 3
            'crlf\\r\\nnext'            | true  | ok
            nul\\0here                  | true  | U+0000 at position 3
            nul\\0here                  | false | U+0000 at position 3
            escape\\esequence           | true  | U+001B at position 6
            del\\dchar                  | true  | U+007F at position 3
            c1\\ccontrol                | true  | U+0085 at position 2
            """)
    void shouldRefuseControlCharactersButKeepLineBreaksInProse(String text, boolean multiLine, String expected) {
        String decoded = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("\\0", "\0")
                .replace("\\e", "\u001b").replace("\\d", "\u007f").replace("\\c", "\u0085");
        String outcome = FreeText.problem(decoded, multiLine)
                .map(problem -> problem.substring(problem.indexOf("U+"), problem.indexOf(')')))
                .orElse("ok");
        assertEquals(expected, outcome);
    }

    @ParameterizedTest
    @CsvSource({"reason,true", "description,true", "comment,true", "ref,false", "unit,false", "name,false", "url,false"})
    void shouldKnowWhichFieldsAreProse(String field, boolean multiLine) {
        assertEquals(multiLine, FreeText.isMultiLine(field));
    }
}
