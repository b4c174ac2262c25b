package dev.rolloutcontroller.notify;

import dev.rolloutcontroller.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The default policy, without an allow-list: subscriptions to local and private addresses are refused,
 * and a stored URL whose host now means such an address is never sent to.
 */
@QuarkusTest
@TestProfile(WebhookPrivateTargetTest.NoAllowList.class)
class WebhookPrivateTargetTest {

    public static class NoAllowList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollout.webhooks.allowed-hosts", "");
        }
    }

    @Inject
    WebhookWorker worker;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.1:8080/hook                 | 127.0.0.1 is a loopback address
            http://0x7f000001/hook                     | 127.0.0.1 (written '0x7f000001') is a loopback address
            http://2130706433/hook                     | 127.0.0.1 (written '2130706433') is a loopback address
            http://0177.0.0.1/hook                     | 127.0.0.1 (written '0177.0.0.1') is a loopback address
            http://127.1/hook                          | 127.0.0.1 (written '127.1') is a loopback address
            http://[::1]/hook                          | a loopback address
            http://[::ffff:127.0.0.1]:9000/hook        | 127.0.0.1 (written '[::ffff:127.0.0.1]') is a loopback address
            http://169.254.169.254/latest/meta-data/   | a link-local address
            http://metadata.google.internal/v1/        | names this machine or an internal service
            https://localhost/hook                     | names this machine or an internal service
            https://10.0.0.8/hook                      | a private address
            https://[fd00::8]/hook                     | a unique-local address
            """)
    void shouldRefuseToSubscribeALocalOrPrivateAddress(String url, String message) {
        asAdmin().body(Map.of("url", url)).post("/api/v1/webhooks").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("url"))
                .body("errors[0].message", containsString(message));
    }

    @Test
    void shouldNotSendWhenTheHostNowMeansALoopbackAddress() {
        try (Receiver receiver = Receiver.ok()) {
            String key = Api.createRollout("hook-rebound", "c1");
            String id = asAdmin().body(Map.of("url", "https://hooks.example.com/rebound", "rollouts", List.of(key)))
                    .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
            // What DNS rebinding amounts to: the host accepted at subscription now leads to this machine.
            QuarkusTransaction.requiringNew().run(() -> WebhookSubscriptionEntity
                    .update("url = ?1 where id = ?2", receiver.url(), UUID.fromString(id)));
            Api.act(key, "start");
            worker.runOnce();

            asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then()
                    .body("deliveries[0].status", equalTo("PENDING"))
                    .body("deliveries[0].lastError", equalTo("not sent: 127.0.0.1 is a loopback address; webhooks go to "
                            + "public addresses only, unless rollout.webhooks.allowed-hosts names the host"));
            assertEquals(List.of(), receiver.requests(), "no request may reach the loopback receiver");
            asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        }
    }
}
