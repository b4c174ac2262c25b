package dev.rolloutcontroller.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure rules behind delivery: which event notifies what, the signature, the backoff, the allow-list. */
class WebhookRulesTest {

    @ParameterizedTest(name = "{0} by {1} (after: {2}) -> {3}")
    @CsvSource(nullValues = "-", value = {
            "rollout.started,          bootstrap-admin, ACTIVE,      rollout.started",
            "rollout.force-started,    alice,           ACTIVE,      rollout.started",
            "rollout.advanced,         evaluator,       ACTIVE,      step.advanced",
            "rollout.force-advanced,   alice,           ACTIVE,      step.advanced",
            "rollout.advanced,         evaluator,       COMPLETED,   rollout.completed",
            "rollout.force-advanced,   alice,           COMPLETED,   rollout.completed",
            "rollout.ready-to-advance, evaluator,       ACTIVE,      rollout.ready",
            "rollout.rolled-back,      evaluator,       ROLLED_BACK, trigger.breached",
            "rollout.stepped-back,     evaluator,       ACTIVE,      trigger.breached",
            "rollout.paused,           evaluator,       PAUSED,      trigger.breached",
            "rollout.rolled-back,      alice,           ROLLED_BACK, rollout.rolled-back",
            "rollout.stepped-back,     alice,           ACTIVE,      rollout.stepped-back",
            "rollout.paused,           alice,           PAUSED,      rollout.paused",
            "rollout.resumed,          alice,           ACTIVE,      rollout.resumed",
            "evaluator.failed,         evaluator,       ACTIVE,      evaluator.failed",
            "rollout.freeze-overridden, alice,          ACTIVE,      rollout.freeze-overridden",
            "rollout.scheduled,        alice,           DRAFT,       rollout.scheduled",
            "rollout.starting-soon,    evaluator,       DRAFT,       rollout.starting-soon",
            "rollout.plan-changed,     alice,           ACTIVE,      plan.changed",
            "rollout.created,          alice,           DRAFT,       -",
            "rollout.restarted,        alice,           DRAFT,       -",
            "canary.replaced,          alice,           ACTIVE,      -",
            "canary.added,             alice,           ACTIVE,      -",
            "canary.removed,           alice,           ACTIVE,      -",
            "sign-off.given,           alice,           -,           -",
            "sign-off.withdrawn,       alice,           -,           -",
            "baseline.set,             alice,           -,           -",
            "token.created,            alice,           -,           -",
            "token.revoked,            alice,           -,           -",
            "webhook.created,          alice,           -,           -",
            "webhook.tested,           alice,           -,           -"})
    void shouldMapAuditEventsToNotifications(String auditType, String actor, String statusAfter, String expected) {
        Map<String, Object> after = statusAfter == null ? null : Map.of("status", statusAfter);
        assertEquals(expected, NotificationType.forAuditEvent(auditType, actor, after).map(NotificationType::wireName).orElse(null));
    }

    @Test
    void shouldOfferEveryTypeButTheTestForSubscription() {
        assertEquals(List.of("rollout.started", "step.advanced", "rollout.ready", "trigger.breached", "rollout.paused",
                "rollout.resumed", "rollout.stepped-back", "rollout.rolled-back", "rollout.completed", "plan.changed",
                "evaluator.failed", "rollout.freeze-overridden", "rollout.scheduled", "rollout.starting-soon"),
                NotificationType.subscribable());
    }

    @Test
    void shouldSignAsHmacSha256InLowerCaseHex() {
        // RFC 4231, test case 2.
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookSignature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "after {0} failures the wait is {1} s (random 0.5)")
    @CsvSource({"1, 30", "2, 60", "3, 120", "4, 240", "5, 480", "6, 960", "7, 1920"})
    void shouldDoubleTheWaitAfterEachFailure(int failures, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), Backoff.delay(Duration.ofSeconds(30), failures, 0.5));
    }

    @ParameterizedTest(name = "random {0} gives {1} ms")
    @CsvSource({"0.0, 22500", "0.5, 30000", "0.999999, 37500"})
    void shouldJitterByAQuarterEitherWay(double random, long millis) {
        assertEquals(millis, Backoff.delay(Duration.ofSeconds(30), 1, random).toMillis(), 1);
    }

    @Test
    void shouldSpreadEightAttemptsOverAboutAnHour() {
        for (double random : new double[]{0.0, 0.5, 0.999999}) {
            Duration total = Duration.ZERO;
            for (int failures = 1; failures < 8; failures++) {
                total = total.plus(Backoff.delay(Duration.ofSeconds(30), failures, random));
            }
            assertTrue(total.compareTo(Duration.ofMinutes(45)) > 0 && total.compareTo(Duration.ofMinutes(80)) < 0, total.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> Backoff.delay(Duration.ofSeconds(30), 0, 0.5));
    }

    @ParameterizedTest(name = "{0} allowed by [hooks.slack.com, *.example.com]: {1}")
    @CsvSource({
            "hooks.slack.com,       true",
            "HOOKS.Slack.com,       true",
            "evil-hooks.slack.com,  false",
            "a.example.com,         true",
            "a.b.example.com,       true",
            "example.com,           false",
            "notexample.com,        false",
            "example.com.evil.net,  false",
            "169.254.169.254,       false"})
    void shouldAllowOnlyListedHosts(String host, boolean allowed) {
        assertEquals(allowed, new HostAllowList(List.of("hooks.slack.com", " *.example.com ")).allows(host));
        assertTrue(new HostAllowList(null).allows(host), "no list: every host");
    }
}
