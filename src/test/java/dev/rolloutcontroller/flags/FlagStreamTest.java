package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;

import static dev.rolloutcontroller.flags.FlagFixtures.reader;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-sent-event stream, read by a real SSE client. */
@QuarkusTest
class FlagStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL base;

    private String token;

    @BeforeEach
    void createReaderToken() {
        token = Api.tokenWith("reader");
    }

    @Test
    void shouldSendFleetViewOnConnectThenEachChange() throws Exception {
        String key = Api.createRollout("stream", "s1");
        try (SseClient client = new SseClient(stream(key), token, null)) {
            assertEquals(200, client.status());
            assertTrue(client.contentType().startsWith("text/event-stream"), client.contentType());
            SseClient.Event initial = client.nextEvent(WAIT);
            assertNotNull(initial, "no event on connect");
            assertEquals("1", initial.id());
            assertEquals("flags", initial.name());
            assertEquals("DRAFT", JsonPath.from(initial.data()).getString("status"));
            assertEquals("false", JsonPath.from(initial.data()).getString("env.TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR"));

            FlagFixtures.act(key, "start");
            long committed = System.nanoTime();
            SseClient.Event started = client.nextEvent(WAIT);
            long latencyMillis = (System.nanoTime() - committed) / 1_000_000;
            assertNotNull(started, "no event after the change");
            assertEquals("2", started.id());
            assertEquals("canary", JsonPath.from(started.data()).getString("env.TMUX_ORCHESTRATOR_USE_MODULAR_MONITOR"));
            assertEquals(10, JsonPath.from(started.data()).getInt("percentage"));
            // The event is published right after the commit, before the action's response is even written.
            assertTrue(latencyMillis < 100, "the event came " + latencyMillis + " ms after the action returned");

            FlagFixtures.act(key, "advance");
            SseClient.Event advanced = client.nextEvent(WAIT);
            assertNotNull(advanced, "no event after the second change");
            assertEquals("3", advanced.id());
            assertEquals(50, JsonPath.from(advanced.data()).getInt("percentage"));
        }
    }

    @Test
    void shouldNotResendTheViewWhenLastEventIdIsCurrent() throws Exception {
        String key = Api.createRollout("resume", "s1");
        FlagFixtures.act(key, "start");
        try (SseClient client = new SseClient(stream(key), token, "2")) {
            SseClient.Event first = client.next(WAIT);
            assertNotNull(first, "neither an event nor a heartbeat");
            assertEquals("heartbeat", first.comment(), "the view of version 2 was sent again: " + first);
            FlagFixtures.act(key, "advance");
            SseClient.Event next = client.nextEvent(WAIT);
            assertNotNull(next);
            assertEquals("3", next.id());
        }
    }

    @Test
    void shouldSendTheViewWhenLastEventIdIsBehindOrUnknown() throws Exception {
        String key = Api.createRollout("catch-up", "s1");
        FlagFixtures.act(key, "start");
        FlagFixtures.act(key, "advance");
        for (String lastEventId : new String[]{"1", "99", "not-a-version"}) {
            try (SseClient client = new SseClient(stream(key), token, lastEventId)) {
                SseClient.Event event = client.nextEvent(WAIT);
                assertNotNull(event, "Last-Event-ID " + lastEventId);
                assertEquals("3", event.id(), "Last-Event-ID " + lastEventId);
            }
        }
    }

    @Test
    void shouldKeepTheStreamAliveWithHeartbeats() throws Exception {
        String key = Api.createRollout("heartbeat");
        try (SseClient client = new SseClient(stream(key), token, null)) {
            assertNotNull(client.nextEvent(WAIT));
            SseClient.Event heartbeat = client.next(WAIT);
            assertNotNull(heartbeat);
            assertEquals("heartbeat", heartbeat.comment());
            assertNull(heartbeat.id());
        }
    }

    @Test
    void shouldForgetAStreamWhenItsClientGoesAway() throws Exception {
        String key = Api.createRollout("disconnect");
        int before = openStreams();
        try (SseClient client = new SseClient(stream(key), token, null)) {
            assertNotNull(client.nextEvent(WAIT));
            assertEquals(before + 1, openStreams());
        }
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (openStreams() > before && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(before, openStreams(), "the closed stream is still registered");
    }

    private static int openStreams() {
        String line = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("rollout_flag_streams ")).findFirst().orElseThrow();
        return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void shouldAnswer404And401BeforeStreaming() throws Exception {
        reader(token).accept("text/event-stream").get("/api/v1/rollouts/no-such-rollout/flags/stream")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        String key = Api.createRollout("stream-auth");
        try (SseClient client = new SseClient(stream(key), "rc_not-a-token", null)) {
            assertEquals(401, client.status());
        }
    }

    private URI stream(String key) {
        return URI.create(base.toString()).resolve("api/v1/rollouts/" + key + "/flags/stream");
    }
}
