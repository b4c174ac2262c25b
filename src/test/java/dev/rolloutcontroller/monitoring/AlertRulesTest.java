package dev.rolloutcontroller.monitoring;

import dev.rolloutcontroller.support.Binaries;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/prometheus/alerts.yml is valid and each rule behaves as its unit tests in alerts.test.yml say. */
class AlertRulesTest {

    private static final Path RULES_DIR = Path.of("deploy", "prometheus");

    @Test
    void shouldPassPromtoolCheckRules() {
        Path promtool = Binaries.require(Binaries.PROMTOOL);
        Binaries.Result result = Binaries.run(RULES_DIR, promtool.toString(), "check", "rules", "alerts.yml");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void shouldPassItsUnitTestsUnderPromtoolTestRules() throws Exception {
        Path promtool = Binaries.require(Binaries.PROMTOOL);
        Binaries.Result result = Binaries.run(RULES_DIR, promtool.toString(), "test", "rules", "alerts.test.yml");
        assertEquals(0, result.exitCode(), result.output());
        String rules = Files.readString(RULES_DIR.resolve("alerts.yml"));
        String tests = Files.readString(RULES_DIR.resolve("alerts.test.yml"));
        Matcher alert = Pattern.compile("- alert: (\\w+)").matcher(rules);
        while (alert.find()) {
            assertTrue(tests.contains("alertname: " + alert.group(1)), "alerts.test.yml tests " + alert.group(1));
        }
    }
}
