package dev.rolloutcontroller.logging;

import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.Reports;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request ids, the MDC fields on each line, and one greppable line per action and automatic decision. */
@QuarkusTest
class LogContextTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    /** A log line as the JSON formatter would see it: message and MDC at the time it was logged. */
    record Line(String category, String message, Map<String, String> mdc) {
    }

    @Inject
    RolloutEvaluator evaluator;

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = ExtLogRecord.wrap(record);
            lines.add(new Line(ext.getLoggerName(), ext.getFormattedMessage(), Map.copyOf(ext.getMdcCopy())));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void shouldEchoTheCallersRequestIdAndReplaceAnUnsafeOne() {
        asAdmin().header("X-Request-Id", "lb-7f3a.2:1").get("/api/v1/rollouts").then()
                .statusCode(200).header("X-Request-Id", equalTo("lb-7f3a.2:1"));
        asAdmin().get("/api/v1/rollouts").then().header("X-Request-Id", matchesPattern(UUID_PATTERN));
        asAdmin().header("X-Request-Id", "two words").get("/api/v1/rollouts").then().header("X-Request-Id", matchesPattern(UUID_PATTERN));
        // Refused before any resource runs, still traceable.
        Api.as("not-a-token").get("/api/v1/rollouts").then().statusCode(401).header("X-Request-Id", matchesPattern(UUID_PATTERN));
    }

    @Test
    void shouldLogAnOperatorsActionOnceWithRolloutActorAndRequestIdButNeverTheSecret() {
        String name = Api.uniqueKey("alice");
        String secret = asAdmin().body(Map.of("name", name, "roles", List.of("operator"))).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token");
        String key = Api.createRollout("logged", "session1");
        Api.act(key, "start");
        lines.clear();

        as(secret).header("X-Request-Id", "req-" + key).body(Map.of("reason", "error rate above 5%\non canary"))
                .post("/api/v1/rollouts/" + key + "/rollback").then().statusCode(200);

        List<Line> actions = lines.stream().filter(l -> l.category().equals("dev.rolloutcontroller.action")).toList();
        assertEquals(1, actions.size(), lines::toString);
        Line line = actions.get(0);
        assertEquals("rollout " + key + ": rollout.rolled-back by " + name + " (reason: error rate above 5% on canary)", line.message());
        assertEquals(Map.of("requestId", "req-" + key, "rolloutKey", key, "actor", name), line.mdc());
        assertFalse(lines.stream().anyMatch(l -> l.message().contains(secret) || l.mdc().containsValue(secret)), lines::toString);
    }

    @Test
    void shouldLogNothingForARefusedAction() {
        String key = Api.createRollout("refused");
        lines.clear();

        asAdmin().body(Map.of("reason", "nothing to roll back")).post("/api/v1/rollouts/" + key + "/rollback").then().statusCode(409);

        assertTrue(lines.stream().noneMatch(l -> l.category().equals("dev.rolloutcontroller.action")), lines::toString);
    }

    @Test
    void shouldLogTheEvaluatorsRollbackAsItsOwnLine() {
        String key = Api.createRollout("auto");
        Api.act(key, "start");
        as(Api.reporter()).body(Reports.batch(key, 10, "new", 1000, 60, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        lines.clear();

        evaluator.evaluate(key);

        List<Line> actions = lines.stream().filter(l -> l.category().equals("dev.rolloutcontroller.action")
                && l.message().startsWith("rollout " + key + ": rollout.rolled-back by evaluator (reason: ")).toList();
        assertEquals(1, actions.size(), lines::toString);
        assertEquals(Map.of("rolloutKey", key, "actor", "evaluator"), actions.get(0).mdc());
    }

    @Test
    void shouldKeepTheTextLogUnlessSwitchedToJson() {
        assertFalse(ConfigProvider.getConfig().getValue("quarkus.log.console.json.enabled", Boolean.class));
    }
}
