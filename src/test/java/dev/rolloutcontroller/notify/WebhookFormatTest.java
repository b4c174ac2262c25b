package dev.rolloutcontroller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.TriggerAction;
import dev.rolloutcontroller.domain.evaluation.GateResult;
import dev.rolloutcontroller.domain.evaluation.TriggerResult;
import dev.rolloutcontroller.domain.evaluation.Verdict;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.persistence.EventEntity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The json document and the Slack body, built from hand-made events and journal entries. */
class WebhookFormatTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldNameTheDecidingTriggerOfABreach() {
        EventEntity event = event("rollout.rolled-back", "evaluator", "trigger breached: ... : roll back",
                state("ACTIVE", "gradual", 1, 50, 7), state("ROLLED_BACK", "gradual", 1, 0, 8));
        EvaluationEntity evaluation = evaluation("ROLLBACK", List.of(), List.of(
                trigger(0, "memory_bytes", TriggerAction.PAUSE, true, "new-path memory 2.10 GiB > 2.00 GiB"),
                trigger(1, "error_rate", TriggerAction.ROLLBACK, true, "new-path error rate 6.20% (620 of 10,000 cycles, lower 95% bound 5.74%) > 5.00%"),
                trigger(2, "cycle_time_p95_ms", TriggerAction.ROLLBACK, false, "cycle time fine")));

        Notification n = Notifications.of(NotificationType.TRIGGER_BREACHED, event, evaluation, null, "https://rollouts.example.com");

        assertEquals("modular-monitor rolled back at 50%: new-path error rate 6.20% (620 of 10,000 cycles, lower 95% bound 5.74%)"
                + " > 5.00% (evaluator)", n.summary());
        assertEquals("rollback", n.values().get("action"));
        assertEquals("error_rate", n.values().get("metric"));
        assertEquals(0.062, n.values().get("observed"));
        assertEquals(0.05, n.values().get("threshold"));
        assertEquals(List.of("memory_bytes trigger"), n.values().get("alsoFired"));
        assertEquals("https://rollouts.example.com/api/v1/rollouts/modular-monitor", n.links().get("rollout"));
        assertEquals(new Notification.State("ACTIVE", "gradual", 50), n.previous());
        assertEquals(8L, n.version());
    }

    @Test
    void shouldFallBackToTheReasonWithoutAJournalEntry() {
        EventEntity event = event("rollout.paused", "evaluator", "trigger breached: memory: pause",
                state("ACTIVE", "canary", 0, 10, 3), state("PAUSED", "canary", 0, 10, 4));
        Notification n = Notifications.of(NotificationType.TRIGGER_BREACHED, event, null, null, "");
        assertEquals("modular-monitor paused at canary (10%): trigger breached: memory: pause (evaluator)", n.summary());
        assertEquals(Map.of("action", "pause"), n.values());
        assertEquals("/api/v1/rollouts/modular-monitor/evaluations", n.links().get("evaluations"));
    }

    @Test
    void shouldSayWhatTheEvaluatorCouldNotApply() {
        Map<String, Object> after = new LinkedHashMap<>(state("ACTIVE", "gradual", 1, 50, 7));
        after.put("decided", "ROLLBACK");
        after.put("failure", "canceling statement due to lock timeout");
        EventEntity event = event("evaluator.failed", "evaluator", "could not apply ROLLBACK: ...", null, after);

        Notification n = Notifications.of(NotificationType.EVALUATOR_FAILED, event, null, null, "");

        assertEquals("modular-monitor: the evaluator could not apply ROLLBACK at gradual (50%) (canceling statement due to"
                + " lock timeout); it retries on every pass", n.summary());
        assertEquals(Map.of("decided", "ROLLBACK", "failure", "canceling statement due to lock timeout"), n.values());
    }

    @Test
    void shouldNameTheRolesStillToSignWhenReady() {
        Plan plan = Plan.checklist(false);
        EventEntity event = event("rollout.ready-to-advance", "evaluator", "every gate passes", null,
                state("ACTIVE", "canary", 0, 10, 5));
        EvaluationEntity evaluation = evaluation("MARK_READY",
                List.of(gate("canary", "exit", 0, "soak", Verdict.PASS), gate("canary", "exit", 5, "sign-off", Verdict.PENDING),
                        gate("gradual", "entry", 0, "sign-off", Verdict.PENDING)), List.of());

        Notification n = Notifications.of(NotificationType.ROLLOUT_READY, event, evaluation, plan, "");

        assertEquals("modular-monitor is ready to advance from canary (10%) to gradual (50%): waiting for sign-off from product, tech-lead",
                n.summary());
        assertEquals("sign-off", n.values().get("waitingFor"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> missing = (List<Map<String, Object>>) n.values().get("missingSignOffs");
        assertEquals(List.of("product", "tech-lead"), missing.stream().map(m -> m.get("role")).toList());
        assertEquals(List.of("canary", "gradual"), missing.stream().map(m -> m.get("step")).toList());
        assertNull(n.previous());
    }

    @Test
    void shouldSayReadyToCompleteAtTheLastStep() {
        EventEntity event = event("rollout.ready-to-advance", "evaluator", "every gate passes", null,
                state("ACTIVE", "full", 2, 100, 9));
        Notification n = Notifications.of(NotificationType.ROLLOUT_READY, event,
                evaluation("MARK_READY", List.of(gate("full", "exit", 0, "soak", Verdict.PASS)), List.of()), Plan.checklist(false), "");
        assertEquals("modular-monitor is ready to complete at full (100%): waiting for an operator", n.summary());
        assertFalse(n.values().containsKey("next"));
    }

    @Test
    void shouldListGatesOnlyWhenTheyAllPassed() {
        EventEntity event = event("rollout.force-advanced", "alice", "verified by hand",
                state("ACTIVE", "canary", 0, 10, 3), state("ACTIVE", "gradual", 1, 50, 4));
        List<GateResult> gates = List.of(gate("canary", "exit", 0, "soak", Verdict.PENDING));

        Notification forced = Notifications.of(NotificationType.STEP_ADVANCED, event, evaluation("NONE", gates, List.of()), null, "");
        assertEquals(List.of(), forced.values().get("gates"));
        assertEquals(true, forced.values().get("forced"));
        assertEquals("modular-monitor advanced from canary (10%) to gradual (50%) by alice, forced past its gates: verified by hand",
                forced.summary());

        List<GateResult> passed = List.of(gate("canary", "exit", 0, "soak", Verdict.PASS));
        Notification ready = Notifications.of(NotificationType.STEP_ADVANCED, event, evaluation("MARK_READY", passed, List.of()), null, "");
        assertEquals(passed, ready.values().get("gates"));
    }

    @Test
    void shouldWriteSlackTextEscapedWithBlocks() throws Exception {
        EventEntity event = event("rollout.rolled-back", "alice", "errors <b>&</b> > 5%",
                state("ACTIVE", "canary", 0, 10, 3), state("ROLLED_BACK", "canary", 0, 0, 4));
        Notification n = Notifications.of(NotificationType.ROLLOUT_ROLLED_BACK, event, null, null, "https://r.example.com");

        JsonNode slack = mapper.readTree(mapper.writeValueAsBytes(SlackMessage.of(n)));

        assertEquals("modular-monitor rolled back at 10% by alice: errors &lt;b&gt;&amp;&lt;/b&gt; &gt; 5%", slack.get("text").asText());
        assertEquals("*modular-monitor* rolled back at 10% by alice: errors &lt;b&gt;&amp;&lt;/b&gt; &gt; 5%",
                slack.at("/blocks/0/text/text").asText());
        assertEquals("mrkdwn", slack.at("/blocks/0/text/type").asText());
        assertEquals(2, slack.get("blocks").size(), "the reason is in the summary already");
        String context = slack.at("/blocks/1/elements/0/text").asText();
        assertTrue(context.contains("`rollout.rolled-back`") && context.contains("ROLLED_BACK at canary (0%)")
                && context.contains("<https://r.example.com/api/v1/rollouts/modular-monitor|open rollout>"), context);
    }

    @Test
    void shouldQuoteTheFullReasonWhenTheSummaryShortensIt() throws Exception {
        EventEntity event = event("rollout.rolled-back", "evaluator", "trigger breached: the long story",
                state("ACTIVE", "canary", 0, 10, 3), state("ROLLED_BACK", "canary", 0, 0, 4));
        EvaluationEntity evaluation = evaluation("ROLLBACK", List.of(), List.of(
                trigger(0, "error_rate", TriggerAction.ROLLBACK, true, "new-path error rate 6.20% > 5.00%")));
        Notification n = Notifications.of(NotificationType.TRIGGER_BREACHED, event, evaluation, null, "");

        JsonNode slack = mapper.readTree(mapper.writeValueAsBytes(SlackMessage.of(n)));

        assertEquals(3, slack.get("blocks").size());
        assertEquals("> trigger breached: the long story", slack.at("/blocks/1/text/text").asText());
        assertFalse(slack.at("/blocks/2/elements/0/text").asText().contains("open rollout"), "no absolute link without a public URL");
    }

    private static EventEntity event(String type, String actor, String reason, Map<String, Object> before, Map<String, Object> after) {
        EventEntity event = new EventEntity();
        event.id = 42L;
        event.rolloutKey = "modular-monitor";
        event.type = type;
        event.actor = actor;
        event.reason = reason;
        event.before = before;
        event.after = after;
        event.occurredAt = Instant.parse("2025-06-01T03:00:00Z");
        return event;
    }

    private static Map<String, Object> state(String status, String step, int stepIndex, int percentage, int version) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", status);
        state.put("step", step);
        state.put("stepIndex", stepIndex);
        state.put("percentage", percentage);
        state.put("canarySessions", List.of("session1"));
        state.put("version", version);
        return state;
    }

    private static EvaluationEntity evaluation(String action, List<GateResult> gates, List<TriggerResult> triggers) {
        EvaluationEntity evaluation = new EvaluationEntity();
        evaluation.action = action;
        evaluation.exitGates = gates.stream().filter(g -> g.phase().equals("exit")).toList();
        evaluation.entryGates = gates.stream().filter(g -> g.phase().equals("entry")).toList();
        evaluation.triggers = triggers;
        return evaluation;
    }

    private static GateResult gate(String step, String phase, int index, String kind, Verdict verdict) {
        return new GateResult(step, phase, index, kind, kind + " gate", verdict, null, null, null, kind + " detail");
    }

    private static TriggerResult trigger(int index, String metric, TriggerAction action, boolean fired, String detail) {
        return new TriggerResult(index, metric, metric + " trigger", fired, fired ? 1 : 0, 1,
                metric.equals("error_rate") ? 0.062 : 1.0, metric.equals("error_rate") ? 0.05 : 0.5, 10_000L, action, fired, detail);
    }
}
