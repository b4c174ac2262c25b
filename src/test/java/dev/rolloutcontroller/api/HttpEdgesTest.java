package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests that fail before a resource runs still get a problem+json answer with the right status. */
@QuarkusTest
class HttpEdgesTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void shouldNameAQueryParameterThatDoesNotParse() {
        String key = Api.createRollout("bad-query");
        asAdmin().queryParam("limit", "abc").get("/api/v1/rollouts/" + key + "/events")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("limit"));
        asAdmin().queryParam("limit", "99999999999").get("/api/v1/rollouts/" + key + "/events")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("limit"));
        asAdmin().queryParam("before", "yesterday").get("/api/v1/rollouts/" + key + "/events")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("before"));
        asAdmin().queryParam("limit", "1e3").get("/api/v1/rollouts/" + key + "/evaluations")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void shouldRefuseABodyThatIsNotJson() throws IOException {
        String key = Api.createRollout("not-json", "s1");
        Api.act(key, "start");
        given().header("Authorization", "Bearer " + Api.ADMIN).contentType(ContentType.TEXT).body("{\"key\":\"x\"}")
                .post("/api/v1/rollouts").then().statusCode(415).contentType(PROBLEM).body("status", equalTo(415));
        given().header("Authorization", "Bearer " + Api.ADMIN).body("{\"reason\":\"x\"}".getBytes())
                .post("/api/v1/rollouts/" + key + "/pause").then().statusCode(415).contentType(PROBLEM);
        String noBody = rawExchange("POST /api/v1/rollouts/" + key + "/pause HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Api.ADMIN + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(noBody.startsWith("HTTP/1.1 200"), noBody);
        assertTrue(noBody.contains("\"status\":\"paused\""), noBody);
    }

    @Test
    void shouldAnswerADisallowedMethodWithAllow() {
        asAdmin().body(Map.of()).put("/api/v1/rollouts")
                .then().statusCode(405).contentType(PROBLEM).header("Allow", containsString("GET")).header("Allow", containsString("POST"));
    }

    private static String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)
                    .replace("http/1.1", "HTTP/1.1");
        }
    }

    @Test
    void shouldAnswerOversizedRequestsWithProblems() throws IOException {
        // Announced, not sent: the answer comes before the body is read, and a client still sending would see a reset.
        String answer = rawExchange("POST /api/v1/rollouts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Api.ADMIN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (5 * 1024 * 1024) + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("\"status\":413"), answer);
        asAdmin().get("/api/v1/rollouts/" + "a".repeat(20_000))
                .then().statusCode(414).contentType(PROBLEM).body("status", equalTo(414));
        asAdmin().header("X-Padding", "p".repeat(40_000)).get("/api/v1/rollouts")
                .then().statusCode(431).contentType(PROBLEM).body("status", equalTo(431));
    }
}
