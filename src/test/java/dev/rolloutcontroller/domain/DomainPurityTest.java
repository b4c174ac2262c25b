package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The domain stays plain Java: no framework import, so it is tested and reasoned about without one. */
class DomainPurityTest {

    private static final Path DOMAIN = Path.of("src/main/java/dev/rolloutcontroller/domain");
    private static final String MURMUR = "org.apache.commons.codec.digest.MurmurHash3";
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;", Pattern.MULTILINE);
    /** Fully qualified use without an import would dodge the import check. */
    private static final Pattern QUALIFIED_FRAMEWORK =
            Pattern.compile("\\b(?:io\\.quarkus|jakarta|javax|com\\.fasterxml|org\\.hibernate|io\\.smallrye|org\\.eclipse|io\\.vertx)\\.");

    /** What a file may import: java.*, the domain itself (its sub-packages too), and MurmurHash3 only in Bucketing. */
    static boolean allowed(String fileName, String imported) {
        return imported.startsWith("java.") || imported.startsWith("dev.rolloutcontroller.domain.")
                || (imported.equals(MURMUR) && fileName.equals("Bucketing.java"));
    }

    static List<String> imports(String source) {
        List<String> imports = new ArrayList<>();
        Matcher matcher = IMPORT.matcher(source);
        while (matcher.find()) {
            imports.add(matcher.group(1));
        }
        return imports;
    }

    @Test
    void shouldImportNothingButJavaInTheDomain() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DOMAIN)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).toList();
        }
        assertTrue(files.stream().anyMatch(path -> path.endsWith("Bucketing.java")),
                "no domain sources found under " + DOMAIN.toAbsolutePath() + ": the check would pass vacuously");

        List<String> violations = new ArrayList<>();
        for (Path file : files) {
            String source = Files.readString(file);
            String name = file.getFileName().toString();
            imports(source).stream().filter(imported -> !allowed(name, imported)).forEach(imported -> violations.add(name + ": " + imported));
            Matcher qualified = QUALIFIED_FRAMEWORK.matcher(source);
            while (qualified.find()) {
                violations.add(name + ": fully qualified " + qualified.group());
            }
        }
        assertEquals(List.of(), violations);
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "Rollout.java   | import java.util.List;                                      | java.util.List                               | true",
            "Rollout.java   | import static java.util.Objects.requireNonNull;            | java.util.Objects.requireNonNull             | true",
            "Rollout.java   | import java.util.*;                                        | java.util.*                                  | true",
            "Rollout.java   | import static dev.rolloutcontroller.domain.FieldErrors.field; | dev.rolloutcontroller.domain.FieldErrors.field | true",
            "Rollout.java   | import javafx.scene.Node;                                   | javafx.scene.Node                            | false",
            "Bucketing.java | import org.apache.commons.codec.digest.MurmurHash3;        | org.apache.commons.codec.digest.MurmurHash3 | true",
            "Rollout.java   | import org.apache.commons.codec.digest.MurmurHash3;        | org.apache.commons.codec.digest.MurmurHash3 | false",
            "Rollout.java   | import io.quarkus.runtime.Startup;                          | io.quarkus.runtime.Startup                   | false",
            "Rollout.java   |   import jakarta.persistence.Entity;                        | jakarta.persistence.Entity                   | false",
            "Rollout.java   | import com.fasterxml.jackson.annotation.JsonProperty;       | com.fasterxml.jackson.annotation.JsonProperty | false",
            "Rollout.java   | import static org.junit.jupiter.api.Assertions.*;          | org.junit.jupiter.api.Assertions.*           | false",
            "Rollout.java   | import dev.rolloutcontroller.api.RolloutResource;          | dev.rolloutcontroller.api.RolloutResource    | false",
            "Rollout.java   | import javax.inject.Inject;                                 | javax.inject.Inject                          | false",
    })
    void shouldClassifyEachImport(String fileName, String line, String imported, boolean allowed) {
        assertEquals(List.of(imported), imports("package x;\n" + line + "\nclass Y {}\n"));
        assertEquals(allowed, allowed(fileName, imported));
    }
}
