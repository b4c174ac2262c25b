package dev.rolloutcontroller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.evaluator.RolloutEvaluator;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.support.Reports;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which notification each rollout event sends, and what it says: driven through the API and the
 * evaluator as operators and daemons would, then delivered by a worker pass to a local receiver.
 */
@QuarkusTest
class WebhookEventsTest {

    @Inject
    RolloutEvaluator evaluator;

    @Inject
    WebhookWorker worker;

    @Inject
    ObjectMapper mapper;

    private final List<String> subscriptions = new ArrayList<>();
    private final List<Receiver> receivers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        subscriptions.forEach(id -> asAdmin().delete("/api/v1/webhooks/" + id));
        receivers.forEach(Receiver::close);
    }

    @Test
    void shouldTellOfATriggerBreachWithTheMetricTheValueAndTheThreshold() {
        String key = startedCanary("hook-breach", true);
        Receiver json = receiver();
        Receiver slack = receiver();
        subscribe(json, key, Map.of("events", List.of("trigger.breached")));
        subscribe(slack, key, Map.of("events", List.of("trigger.breached"), "format", "slack"));

        as(Api.reporter()).body(Reports.batch("s", 10, "new", 1000, 60, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        evaluator.evaluate(key);
        worker.runOnce();

        JsonNode breach = only(json);
        assertEquals("trigger.breached", breach.get("type").asText());
        assertEquals("ROLLED_BACK", breach.get("status").asText());
        assertEquals(10, breach.get("previous").get("percentage").asInt());
        assertEquals("evaluator", breach.get("actor").asText());
        JsonNode values = breach.get("values");
        assertEquals("rollback", values.get("action").asText());
        assertEquals("error_rate", values.get("metric").asText());
        assertEquals(0.06, values.get("observed").asDouble(), 1e-9);
        assertEquals(0.05, values.get("threshold").asDouble(), 1e-9);
        String summary = breach.get("summary").asText();
        assertTrue(summary.startsWith(key + " rolled back at 10%: ") && summary.endsWith(" (evaluator)"), summary);
        assertTrue(summary.contains(values.get("detail").asText()), summary);

        JsonNode message = only(slack);
        assertEquals(SlackMessage.escape(summary), message.get("text").asText());
        assertTrue(message.get("text").asText().contains("&gt; 5.00%"), message.get("text").asText());
        assertEquals("section", message.get("blocks").get(0).get("type").asText());
        assertTrue(message.get("blocks").get(0).get("text").get("text").asText().startsWith("*" + key + "* rolled back"));
    }

    @Test
    void shouldTellOfTheEvaluatorsAdvanceWithTheGatesThatPassed() {
        String key = startedCanary("hook-advance", true);
        Receiver receiver = receiver();
        subscribe(receiver, key, Map.of());

        gatesOfCanaryPass(key);
        evaluator.evaluate(key);
        worker.runOnce();

        JsonNode advanced = only(receiver);
        assertEquals("step.advanced", advanced.get("type").asText());
        assertEquals("evaluator", advanced.get("actor").asText());
        JsonNode values = advanced.get("values");
        assertEquals("canary", values.get("from").get("step").asText());
        assertEquals("gradual", values.get("to").get("step").asText());
        assertEquals(50, values.get("to").get("percentage").asInt());
        assertFalse(values.get("forced").asBoolean());
        assertTrue(values.get("gates").size() >= 5, values.toString());
        values.get("gates").forEach(gate -> assertEquals("PASS", gate.get("verdict").asText(), gate.toString()));
        assertTrue(hasGate(values, "soak") && hasGate(values, "sign-off") && hasGate(values, "metric"), values.toString());
        assertEquals(key + " advanced from canary (10%) to gradual (50%) by the evaluator", advanced.get("summary").asText());
    }

    @Test
    void shouldTellWhenReadyAndThenWhoAdvanced() {
        String key = startedCanary("hook-ready", false);
        Receiver receiver = receiver();
        subscribe(receiver, key, Map.of());

        gatesOfCanaryPass(key);
        evaluator.evaluate(key);
        evaluator.evaluate(key);
        worker.runOnce();

        JsonNode ready = only(receiver);
        assertEquals("rollout.ready", ready.get("type").asText());
        assertEquals("operator", ready.get("values").get("waitingFor").asText());
        assertEquals(0, ready.get("values").get("missingSignOffs").size());
        assertEquals("gradual", ready.get("values").get("next").get("step").asText());
        assertEquals(key + " is ready to advance from canary (10%) to gradual (50%): waiting for an operator",
                ready.get("summary").asText());

        asAdmin().post("/api/v1/rollouts/" + key + "/advance").then().statusCode(200);
        worker.runOnce();

        List<JsonNode> all = bodies(receiver);
        assertEquals(2, all.size(), "one ready notice however many passes saw it ready, then the advance");
        JsonNode advanced = all.get(1);
        assertEquals("step.advanced", advanced.get("type").asText());
        assertEquals("bootstrap-admin", advanced.get("actor").asText());
        assertTrue(advanced.get("values").get("gates").size() >= 5, advanced.toString());
        advanced.get("values").get("gates").forEach(gate -> assertEquals("PASS", gate.get("verdict").asText()));
    }

    @Test
    void shouldTellOfEachOperatorActionUntilCompletion() {
        String key = Api.createRollout("hook-operator", "c1");
        Receiver receiver = receiver();
        subscribe(receiver, key, Map.of());

        Api.act(key, "start");
        asAdmin().post("/api/v1/rollouts/" + key + "/canary-sessions/c9").then().statusCode(200);
        Api.act(key, "advance");
        Api.act(key, "step-back");
        Api.act(key, "pause", Map.of("reason", "waiting for the on-call handover"));
        Api.act(key, "resume");
        Api.act(key, "advance");
        Api.act(key, "advance");
        Api.act(key, "advance");
        worker.runOnce();

        List<JsonNode> all = bodies(receiver);
        assertEquals(List.of("rollout.started", "step.advanced", "rollout.stepped-back", "rollout.paused", "rollout.resumed",
                "step.advanced", "step.advanced", "rollout.completed"), all.stream().map(n -> n.get("type").asText()).toList());
        assertEquals(key + " started at canary (10%) by bootstrap-admin, forced past its gates: test", all.get(0).get("summary").asText());
        assertTrue(all.get(1).get("values").get("forced").asBoolean());
        assertEquals(key + " stepped back from gradual (50%) to canary (10%) by bootstrap-admin: test", all.get(2).get("summary").asText());
        assertEquals(key + " paused at canary (10%) by bootstrap-admin: waiting for the on-call handover", all.get(3).get("summary").asText());
        assertEquals("PAUSED", all.get(3).get("status").asText());
        assertEquals("ACTIVE", all.get(4).get("status").asText());
        JsonNode completed = all.get(7);
        assertEquals("COMPLETED", completed.get("status").asText());
        assertEquals(100, completed.get("percentage").asInt());
        assertEquals("full", completed.get("values").get("from").get("step").asText());
    }

    @Test
    void shouldTellOfARollbackByHandWithItsReason() {
        String key = Api.createRollout("hook-rollback", "c1");
        Receiver receiver = receiver();
        subscribe(receiver, key, Map.of("events", List.of("rollout.rolled-back", "trigger.breached")));

        Api.act(key, "start");
        Api.act(key, "rollback", Map.of("reason", "error rate above 5% on canary"));
        worker.runOnce();

        JsonNode rolledBack = only(receiver);
        assertEquals("rollout.rolled-back", rolledBack.get("type").asText());
        assertEquals(0, rolledBack.get("percentage").asInt());
        assertEquals(key + " rolled back at 10% by bootstrap-admin: error rate above 5% on canary", rolledBack.get("summary").asText());
        assertEquals("error rate above 5% on canary", rolledBack.get("reason").asText());
    }

    /** A draft with a canary list and the devops sign-off, started by the operator (its entry gates pass). */
    private static String startedCanary(String prefix, boolean autoAdvance) {
        String key = Api.uniqueKey(prefix);
        asAdmin().body(Map.of("key", key, "autoAdvance", autoAdvance, "canarySessions", List.of("c1", "c2", "c3")))
                .post("/api/v1/rollouts").then().statusCode(201);
        signOff(key, "canary", "devops");
        asAdmin().post("/api/v1/rollouts/" + key + "/start").then().statusCode(200);
        return key;
    }

    /** The canary's soak, healthy reports on both paths, passing smoke checks, and the sign-offs. */
    private static void gatesOfCanaryPass(String key) {
        MutableClock.INSTANCE.advance(Duration.ofHours(4).plusMinutes(1));
        as(Api.reporter()).body(Reports.batch("new", 10, "new", 1000, 0, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        as(Api.reporter()).body(Reports.batch("legacy", 10, "legacy", 1000, 0, 40.0)).post("/api/v1/rollouts/" + key + "/reports")
                .then().statusCode(202);
        String at = MutableClock.INSTANCE.instant().minusSeconds(1).toString();
        for (String check : Vocabulary.SMOKE_CHECKS) {
            as(Api.reporter()).body(Map.of("check", check, "passed", true, "value", 100, "unit", "%", "at", at))
                    .post("/api/v1/rollouts/" + key + "/smoke-results").then().statusCode(202);
        }
        signOff(key, "canary", "product");
        signOff(key, "gradual", "tech-lead");
    }

    private static void signOff(String key, String step, String role) {
        asAdmin().body(Map.of("role", role, "step", step)).post("/api/v1/rollouts/" + key + "/sign-offs")
                .then().statusCode(anyOf(equalTo(201), equalTo(200)));
    }

    private static boolean hasGate(JsonNode values, String kind) {
        for (JsonNode gate : values.get("gates")) {
            if (kind.equals(gate.get("kind").asText())) {
                return true;
            }
        }
        return false;
    }

    private Receiver receiver() {
        Receiver receiver = Receiver.ok();
        receivers.add(receiver);
        return receiver;
    }

    private void subscribe(Receiver receiver, String key, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("url", receiver.url());
        body.put("rollouts", List.of(key));
        subscriptions.add(asAdmin().body(body).post("/api/v1/webhooks").then().statusCode(201).extract().path("id"));
    }

    /** The bodies received, in the order of their events (one pass sends them concurrently). */
    private List<JsonNode> bodies(Receiver receiver) {
        return receiver.requests().stream()
                .sorted(Comparator.comparingLong(r -> Long.parseLong(r.header("X-Rollout-Event-Id"))))
                .map(r -> {
                    try {
                        return mapper.readTree(r.body());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
    }

    private JsonNode only(Receiver receiver) {
        List<JsonNode> all = bodies(receiver);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }
}
