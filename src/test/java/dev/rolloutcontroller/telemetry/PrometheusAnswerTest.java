package dev.rolloutcontroller.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.evaluation.Observation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an answer of Prometheus's query API becomes an observation: one sample is a figure, anything else says why not. */
class PrometheusAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> figures() {
        return Stream.of(
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{},\"value\":[1700000000.1,\"0.25\"]}]}}", 0.25),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.1,\"3\"]}}", 3.0));
    }

    @ParameterizedTest
    @MethodSource("figures")
    void shouldReadOneSampleAsTheFigure(String body, double value) {
        Observation observation = PrometheusQueries.read(JSON, 200, body);
        assertEquals(value, observation.value());
        assertEquals(1, observation.samples());
        assertNull(observation.unavailable());
    }

    static Stream<Arguments> noData() {
        return Stream.of(
                Arguments.of(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                        "the query returned no sample"),
                Arguments.of(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"node\":\"a\"},\"value\":[1,\"1\"]},{\"metric\":{\"node\":\"b\"},\"value\":[1,\"2\"]}]}}",
                        "the query returned 2 series; it must return one"),
                Arguments.of(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
                        "the query returned a matrix; it must return one sample"),
                Arguments.of(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"unknown function nosuch\"}",
                        "Prometheus answered HTTP 400: bad_data: unknown function nosuch"),
                Arguments.of(502, "<html>bad gateway</html>", "Prometheus answered HTTP 502 without a JSON body"),
                Arguments.of(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{},\"value\":[1,\"many\"]}]}}", "the query's sample is not a number"));
    }

    @ParameterizedTest
    @MethodSource("noData")
    void shouldSayWhyThereIsNoFigure(int status, String body, String why) {
        Observation observation = PrometheusQueries.read(JSON, status, body);
        assertEquals(0, observation.samples());
        assertTrue(observation.unavailable().contains(why), observation.unavailable());
    }
}
