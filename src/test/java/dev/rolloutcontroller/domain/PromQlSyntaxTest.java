package dev.rolloutcontroller.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local PromQL check against a table of queries; {@code PromQlSyntaxAgreementTest} runs the same table
 * through promtool, so the expected column is Prometheus's own verdict, not ours.
 */
class PromQlSyntaxTest {

    /** Query (placeholders allowed), and whether Prometheus parses it. */
    public static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("up", true),
                Arguments.of("max(node_disk_io_time_seconds_total{rollout=\"{{rollout}}\",path=\"{{path}}\"})", true),
                Arguments.of("sum(rate(node_disk_io_time_seconds_total{instance=~\"web-.*\"}[{{window}}]))", true),
                Arguments.of("1 - avg(rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))", true),
                Arguments.of("sum by (path) (rate(errors_total[5m])) / sum by (path) (rate(cycles_total[5m]))", true),
                Arguments.of("sum(rate(errors_total[5m])) by (path)", true),
                Arguments.of("a / on (rollout) group_left b", true),
                Arguments.of("a > bool 3", true),
                Arguments.of("max_over_time(x[1h:5m] offset 5m)", true),
                Arguments.of("max_over_time(x[1h:5m]) offset 5m", false),
                Arguments.of("histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m])))", true),
                Arguments.of("-x + 2 ^ 3 % 2", true),
                Arguments.of("x and y or z unless w", true),
                Arguments.of("time() - 1.5e3", true),
                Arguments.of("{__name__=\"up\", job!=\"\"}", true),
                Arguments.of("sum(", false),
                Arguments.of("sum(x))", false),
                Arguments.of("x{a=\"b\"", false),
                Arguments.of("x{a=b}", false),
                Arguments.of("rate(x[5])", false),
                Arguments.of("x +", false),
                Arguments.of("* x", false),
                Arguments.of("x y", false),
                Arguments.of("x{a=\"b}", false),
                Arguments.of("max(x) by", false),
                Arguments.of("x offset", false),
                Arguments.of("x $ y", false),
                Arguments.of("(x", false),
                Arguments.of("x]", false),
                Arguments.of("sum(x,)", false));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("cases")
    void shouldReadAsPrometheusDoes(String query, boolean valid) {
        assertEquals(valid, PromQlSyntax.check(query).isEmpty(), () -> query + ": " + PromQlSyntax.check(query).orElse("valid"));
    }

    @ParameterizedTest
    @MethodSource("placeholderCases")
    void shouldAllowOnlyTheThreePlaceholders(String query, String error) {
        assertTrue(PromQlSyntax.check(query).orElse("").contains(error), () -> PromQlSyntax.check(query).toString());
    }

    static Stream<Arguments> placeholderCases() {
        return Stream.of(
                Arguments.of("x{session=\"{{session}}\"}", "unknown placeholder {{session}}"),
                Arguments.of("", "required"),
                Arguments.of(" ", "required"),
                Arguments.of("x".repeat(PromQlSyntax.MAX_LENGTH + 1), "at most 2000 characters"));
    }
}
