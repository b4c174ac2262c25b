package dev.rolloutcontroller.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.support.Binaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The expected verdicts of PromQlSyntaxTest's table are Prometheus's own: promtool parses each query alike. */
class PromQlSyntaxAgreementTest {

    @TempDir
    Path temp;

    @Test
    void shouldAgreeWithPromtoolOnEveryQueryOfTheTable() throws Exception {
        Path promtool = Binaries.require(Binaries.PROMTOOL);
        Stream<Arguments> table = PromQlSyntaxTest.cases();
        List<String> disagreements = new ArrayList<>();
        int n = 0;
        for (Arguments arguments : table.toList()) {
            String query = (String) arguments.get()[0];
            boolean expected = (Boolean) arguments.get()[1];
            String filled = query.replace("{{rollout}}", "r").replace("{{path}}", "new").replace("{{window}}", "5m");
            Path file = temp.resolve("q" + n++ + ".yml");
            Files.writeString(file, new ObjectMapper().writeValueAsString(
                    Map.of("groups", List.of(Map.of("name", "q", "rules", List.of(Map.of("record", "q", "expr", filled)))))));
            boolean parses = Binaries.run(temp, promtool.toString(), "check", "rules", file.toString()).exitCode() == 0;
            if (parses != expected) {
                disagreements.add(query + " (promtool: " + (parses ? "valid" : "invalid") + ")");
            }
        }
        assertEquals(List.of(), disagreements);
    }
}
