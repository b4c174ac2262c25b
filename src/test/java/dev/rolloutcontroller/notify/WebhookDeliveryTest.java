package dev.rolloutcontroller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox and its worker against receivers on this machine. Each test subscribes only to its own
 * rollout and deletes its subscriptions afterwards, so passes driven here see no other test's rows.
 */
@QuarkusTest
class WebhookDeliveryTest {

    static final String SECRET = "0123456789abcdef-test-secret";

    @Inject
    WebhookWorker worker;

    @Inject
    WebhookOutbox outbox;

    @Inject
    MeterRegistry registry;

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
    void shouldDeliverOnceWithAValidSignature() throws Exception {
        Receiver receiver = receiver(Receiver.ok());
        String key = Api.createRollout("hook-signed", "c1");
        String id = subscribe(receiver, key, Map.of("secret", SECRET));

        Api.act(key, "start");
        worker.runOnce();
        worker.runOnce();

        assertEquals(1, receiver.requests().size(), "one event, one request, however many passes");
        Receiver.Request request = receiver.requests().get(0);
        assertEquals(WebhookSignature.sign(SECRET, request.body()), request.header("X-Rollout-Signature"));
        assertTrue(request.header("X-Rollout-Signature").matches("sha256=[0-9a-f]{64}"), request.header("X-Rollout-Signature"));
        JsonNode body = mapper.readTree(request.body());
        assertEquals("rollout.started", body.get("type").asText());
        assertEquals(key, body.get("rollout").asText());
        assertEquals(body.get("id").asText(), request.header("X-Rollout-Event-Id"));
        assertEquals("rollout.started", request.header("X-Rollout-Event-Type"));
        assertEquals("canary", body.get("step").asText());
        assertEquals(10, body.get("percentage").asInt());
        assertEquals("/api/v1/rollouts/" + key, body.get("links").get("rollout").asText());
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                .body("deliveries.size()", equalTo(1))
                .body("deliveries[0].type", equalTo("rollout.started"))
                .body("deliveries[0].status", equalTo("DELIVERED"))
                .body("deliveries[0].attempts", equalTo(1))
                .body("deliveries[0].lastHttpStatus", equalTo(200))
                .body("deliveries[0].nextAttemptAt", nullValue())
                .body("deliveries[0].deliveredAt", notNullValue());
    }

    @Test
    void shouldSendUnsignedWithoutASecret() {
        Receiver receiver = receiver(Receiver.ok());
        String key = Api.createRollout("hook-unsigned", "c1");
        subscribe(receiver, key, Map.of());

        Api.act(key, "start");
        worker.runOnce();

        assertEquals(1, receiver.requests().size());
        assertEquals(null, receiver.requests().get(0).header("X-Rollout-Signature"));
    }

    @Test
    void shouldRetryAFailingReceiverAndDeliverExactlyOnce() {
        Receiver receiver = receiver(Receiver.answering(500, 503));
        String key = Api.createRollout("hook-retry", "c1");
        String id = subscribe(receiver, key, Map.of());
        double deliveredBefore = count("delivered");
        double failedBefore = count("failed");

        Api.act(key, "start");
        worker.runOnce();
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then()
                .body("deliveries[0].status", equalTo("PENDING"))
                .body("deliveries[0].attempts", equalTo(1))
                .body("deliveries[0].lastHttpStatus", equalTo(500))
                .body("deliveries[0].nextAttemptAt", notNullValue());
        worker.runOnce();
        assertEquals(1, receiver.requests().size(), "not due again before its backoff");

        MutableClock.INSTANCE.advance(Duration.ofSeconds(40));
        worker.runOnce();
        assertEquals(2, receiver.requests().size());
        MutableClock.INSTANCE.advance(Duration.ofSeconds(80));
        worker.runOnce();
        MutableClock.INSTANCE.advance(Duration.ofMinutes(10));
        worker.runOnce();

        List<Integer> answers = receiver.requests().stream().map(Receiver.Request::answeredWith).toList();
        assertEquals(List.of(500, 503, 200), answers);
        assertEquals(1, receiver.requests().stream().map(r -> r.header("X-Rollout-Event-Id")).distinct().count(),
                "every attempt carries the same event id");
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then()
                .body("deliveries.size()", equalTo(1))
                .body("deliveries[0].status", equalTo("DELIVERED"))
                .body("deliveries[0].attempts", equalTo(3))
                .body("deliveries[0].lastHttpStatus", equalTo(200));
        assertEquals(deliveredBefore + 1, count("delivered"));
        assertEquals(failedBefore + 2, count("failed"));
    }

    @Test
    void shouldDeliverWhatAWorkerClaimedBeforeItDied() {
        Receiver receiver = receiver(Receiver.ok());
        String key = Api.createRollout("hook-crash", "c1");
        String id = subscribe(receiver, key, Map.of());
        Api.act(key, "start");

        // A worker claims the row and dies before sending: nothing is recorded but the claim.
        assertTrue(outbox.claim(MutableClock.INSTANCE.instant(), 100).stream().anyMatch(c -> c.type() == NotificationType.ROLLOUT_STARTED));
        worker.runOnce();
        assertEquals(0, receiver.requests().size(), "leased to the dead worker until its lease ends");

        MutableClock.INSTANCE.advance(Duration.ofMinutes(1).plusSeconds(1));
        worker.runOnce();

        assertEquals(1, receiver.requests().size());
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then()
                .body("deliveries[0].status", equalTo("DELIVERED"))
                .body("deliveries[0].attempts", equalTo(2));
    }

    @Test
    void shouldNotLetAHangingReceiverHoldUpOthers() throws Exception {
        Receiver hanging = receiver(Receiver.hanging());
        Receiver healthy = receiver(Receiver.ok());
        String key = Api.createRollout("hook-hang", "c1");
        String hangingId = subscribe(hanging, key, Map.of());
        String healthyId = subscribe(healthy, key, Map.of());
        Api.act(key, "start");

        long started = System.nanoTime();
        CompletableFuture<Integer> pass = CompletableFuture.supplyAsync(worker::runOnce);
        assertTrue(healthy.awaitRequests(1, Duration.ofSeconds(3)), "the healthy receiver is not kept waiting for the 5 s timeout");
        assertTrue(hanging.awaitRequests(1, Duration.ofSeconds(3)));
        pass.get();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMillis >= 4_500 && tookMillis < 15_000, "the hanging attempt is cut off at the 5 s timeout: " + tookMillis);
        asAdmin().get("/api/v1/webhooks/" + healthyId + "/deliveries").then()
                .body("deliveries[0].status", equalTo("DELIVERED"));
        asAdmin().get("/api/v1/webhooks/" + hangingId + "/deliveries").then()
                .body("deliveries[0].status", equalTo("PENDING"))
                .body("deliveries[0].attempts", equalTo(1))
                .body("deliveries[0].lastHttpStatus", nullValue())
                .body("deliveries[0].lastError", containsString("no answer within 5000 ms"));
    }

    @Test
    void shouldMarkDeadAfterTheLastAttempt() {
        String key = Api.createRollout("hook-dead", "c1");
        Receiver receiver = receiver(Receiver.ok());
        String id = subscribe(receiver, key, Map.of());
        receiver.close();
        double deadBefore = count("dead");
        Api.act(key, "start");

        for (int attempt = 1; attempt <= 8; attempt++) {
            worker.runOnce();
            MutableClock.INSTANCE.advance(Duration.ofMinutes(45));
        }
        worker.runOnce();

        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then()
                .body("deliveries[0].status", equalTo("DEAD"))
                .body("deliveries[0].attempts", equalTo(8))
                .body("deliveries[0].nextAttemptAt", nullValue())
                .body("deliveries[0].lastError", containsString("could not connect"));
        assertEquals(deadBefore + 1, count("dead"));
    }

    @Test
    void shouldSendTheTestEventToThatSubscriptionOnly() {
        Receiver receiver = receiver(Receiver.ok());
        Receiver other = receiver(Receiver.ok());
        String key = Api.createRollout("hook-test");
        String id = subscribe(receiver, key, Map.of("events", List.of("rollout.completed"), "secret", SECRET));
        subscribe(other, key, Map.of());

        asAdmin().post("/api/v1/webhooks/" + id + "/test").then().statusCode(202)
                .body("type", equalTo("webhook.test"))
                .body("status", equalTo("PENDING"));
        worker.runOnce();

        assertEquals(1, receiver.requests().size());
        assertEquals(0, other.requests().size());
        Receiver.Request request = receiver.requests().get(0);
        assertEquals("webhook.test", request.header("X-Rollout-Event-Type"));
        assertEquals(WebhookSignature.sign(SECRET, request.body()), request.header("X-Rollout-Signature"));
        assertTrue(request.text().contains("\"subscription\":\"" + id + "\""), request.text());
    }

    @Test
    void shouldSendOnlyTheSubscribedTypes() {
        Receiver receiver = receiver(Receiver.ok());
        String key = Api.createRollout("hook-filter", "c1");
        subscribe(receiver, key, Map.of("events", List.of("rollout.paused")));

        Api.act(key, "start");
        Api.act(key, "pause");
        Api.act(key, "resume");
        worker.runOnce();

        assertEquals(List.of("rollout.paused"), receiver.requests().stream().map(r -> r.header("X-Rollout-Event-Type")).toList());
    }

    @Test
    void shouldRefuseToSendToAHostNoLongerAllowed() {
        String key = Api.createRollout("hook-disallowed", "c1");
        String id = subscribe(receiver(Receiver.ok()), key, Map.of());
        // The allow-list was tightened after subscribing: the stored URL now names a refused host.
        QuarkusTransaction.requiringNew().run(() -> WebhookSubscriptionEntity
                .update("url = ?1 where id = ?2", "http://internal.corp.invalid/hook", UUID.fromString(id)));
        Api.act(key, "start");
        worker.runOnce();

        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then()
                .body("deliveries[0].status", equalTo("PENDING"))
                .body("deliveries[0].lastError", containsString("not in rollout.webhooks.allowed-hosts"));
    }

    @Test
    void shouldRecordADeliveryItCannotBuildWithoutHoldingUpTheOthers() {
        Receiver receiver = receiver(Receiver.ok());
        String key = Api.createRollout("hook-unbuildable", "c1");
        String id = subscribe(receiver, key, Map.of());
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDeliveryEntity orphan = new WebhookDeliveryEntity();
            orphan.subscriptionId = UUID.fromString(id);
            orphan.eventId = -1;
            orphan.type = "rollout.paused";
            orphan.rolloutKey = key;
            orphan.status = WebhookDeliveryEntity.PENDING;
            orphan.nextAttemptAt = MutableClock.INSTANCE.instant();
            orphan.createdAt = orphan.nextAttemptAt;
            orphan.persist();
        });
        Api.act(key, "start");

        worker.runOnce();

        assertEquals(List.of("rollout.started"), receiver.requests().stream().map(r -> r.header("X-Rollout-Event-Type")).toList());
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then()
                .body("deliveries.find { it.eventId == -1 }.status", equalTo("PENDING"))
                .body("deliveries.find { it.eventId == -1 }.attempts", equalTo(1))
                .body("deliveries.find { it.eventId == -1 }.lastError", equalTo("not sent: audit event -1 does not exist"));
    }

    private Receiver receiver(Receiver receiver) {
        receivers.add(receiver);
        return receiver;
    }

    private String subscribe(Receiver receiver, String key, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("url", receiver.url());
        body.put("rollouts", List.of(key));
        String id = asAdmin().body(body).post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        subscriptions.add(id);
        return id;
    }

    private double count(String outcome) {
        Counter counter = registry.find(WebhookWorker.METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
