package dev.rolloutcontroller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.Vocabulary;
import dev.rolloutcontroller.notify.NotificationType;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request bodies of sign-offs, tokens and webhooks declare in the served OpenAPI document the
 * bounds the server enforces: every bound read from the document is checked against the server,
 * one past it refused with a 400 naming the field, so document and code cannot drift apart.
 */
@QuarkusTest
class RequestBoundsTest {

    private static final List<String> BODIES = List.of("SignOffRequest", "CreateTokenRequest", "CreateWebhook");

    private JsonNode schemas;

    @BeforeEach
    void readDocument() throws IOException {
        String document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        schemas = new ObjectMapper().readTree(document).path("components").path("schemas");
    }

    @Test
    void shouldBoundEveryStringOfTheRequestBodies() {
        for (String body : BODIES) {
            JsonNode properties = schemas.path(body).path("properties");
            assertTrue(properties.size() > 0, body + " is in the document");
            properties.fields().forEachRemaining(property -> {
                JsonNode schema = property.getValue();
                JsonNode value = isType(schema, "array") ? resolve(schema.path("items")) : schema;
                if (isType(value, "string")) {
                    assertTrue(value.has("maxLength") || value.has("enum"), body + "." + property.getKey() + " is bounded: " + value);
                }
            });
        }
        assertEquals(List.of("role"), texts(schemas.path("SignOffRequest").path("required")));
        assertEquals(List.of("name", "roles"), texts(schemas.path("CreateTokenRequest").path("required")));
        assertEquals(List.of("url"), texts(schemas.path("CreateWebhook").path("required")));
        assertEquals(Vocabulary.SIGN_OFF_ROLES, texts(property("SignOffRequest", "role").path("enum")));
        assertEquals(Arrays.stream(Role.values()).map(Role::wireName).toList(),
                texts(resolve(property("CreateTokenRequest", "roles").path("items")).path("enum")));
        assertEquals(NotificationType.subscribable(), texts(resolve(property("CreateWebhook", "events").path("items")).path("enum")));
    }

    @Test
    void shouldRefuseSignOffsPastTheDeclaredBounds() {
        String key = Api.createRollout("bounds-sign-off");
        String devops = Api.tokenWith("devops");
        String path = "/api/v1/rollouts/" + key + "/sign-offs";
        int comment = maxLength("SignOffRequest", "comment");
        as(devops).body(Map.of("role", "devops", "step", "canary", "comment", "c".repeat(comment + 1))).post(path)
                .then().statusCode(400).body("errors.field", hasItem("comment"));
        as(devops).body(Map.of("role", "devops", "step", "c".repeat(maxLength("SignOffRequest", "step") + 1))).post(path)
                .then().statusCode(400).body("errors.field", hasItem("step"));
        as(devops).body(Map.of("role", "devops", "step", "Canary")).post(path)
                .then().statusCode(400).body("errors.field", hasItem("step"));
        as(devops).body(Map.of("role", "devop")).post(path).then().statusCode(400).body("errors.field", hasItem("role"));
        as(devops).body(Map.of("step", "canary")).post(path).then().statusCode(400).body("errors.field", hasItem("role"));
        as(devops).body(Map.of("role", "devops", "step", "canary", "comment", "c".repeat(comment))).post(path)
                .then().statusCode(201);
    }

    @Test
    void shouldRefuseTokensPastTheDeclaredBounds() {
        int name = maxLength("CreateTokenRequest", "name");
        createToken(Map.of("name", "n".repeat(name + 1), "roles", List.of("reader"))).statusCode(400)
                .body("errors.field", hasItem("name"));
        createToken(Map.of("name", "", "roles", List.of("reader"))).statusCode(400).body("errors.field", hasItem("name"));
        createToken(Map.of("name", "-leading-dash", "roles", List.of("reader"))).statusCode(400).body("errors.field", hasItem("name"));
        createToken(Map.of("name", Api.uniqueKey("bounds"), "roles", List.of())).statusCode(400).body("errors.field", hasItem("roles"));
        createToken(Map.of("name", Api.uniqueKey("bounds"), "roles", List.of("root"))).statusCode(400)
                .body("errors.field", hasItem("roles[0]"));
        createToken(Map.of("roles", List.of("reader"))).statusCode(400).body("errors.field", hasItem("name"));
        String atBound = Api.uniqueKey("bounds");
        createToken(Map.of("name", atBound + "n".repeat(name - atBound.length()), "roles", List.of("reader"))).statusCode(201);
    }

    @Test
    void shouldRefuseWebhooksPastTheDeclaredBounds() {
        String base = "https://hooks.example.test/";
        int url = maxLength("CreateWebhook", "url");
        JsonNode secret = property("CreateWebhook", "secret");
        createWebhook(Map.of("url", base + "u".repeat(url + 1 - base.length()))).statusCode(400).body("errors.field", hasItem("url"));
        createWebhook(Map.of("events", List.of("rollout.started"))).statusCode(400).body("errors.field", hasItem("url"));
        createWebhook(Map.of("url", base, "secret", "s".repeat(secret.path("minLength").asInt() - 1))).statusCode(400)
                .body("errors.field", hasItem("secret"));
        createWebhook(Map.of("url", base, "secret", "s".repeat(secret.path("maxLength").asInt() + 1))).statusCode(400)
                .body("errors.field", hasItem("secret"));
        createWebhook(Map.of("url", base, "format", "xml")).statusCode(400).body("errors.field", hasItem("format"));
        createWebhook(Map.of("url", base, "events", List.of())).statusCode(400).body("errors.field", hasItem("events"));
        createWebhook(Map.of("url", base, "events", List.of("webhook.test"))).statusCode(400).body("errors.field", hasItem("events[0]"));
        createWebhook(Map.of("url", base, "rollouts", List.of())).statusCode(400).body("errors.field", hasItem("rollouts"));
        int key = resolve(property("CreateWebhook", "rollouts").path("items")).path("maxLength").asInt();
        createWebhook(Map.of("url", base, "rollouts", List.of("k".repeat(key + 1)))).statusCode(400)
                .body("errors.field", hasItem("rollouts[0]"));

        Map<String, Object> atBounds = new HashMap<>();
        atBounds.put("url", base + "u".repeat(url - base.length()));
        atBounds.put("secret", "s".repeat(secret.path("maxLength").asInt()));
        atBounds.put("rollouts", List.of("k".repeat(key)));
        atBounds.put("format", null);
        String id = createWebhook(atBounds).statusCode(201).extract().path("id");
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    private static ValidatableResponse createToken(Map<String, ?> body) {
        return asAdmin().body(body).post("/api/v1/tokens").then();
    }

    private static ValidatableResponse createWebhook(Map<String, ?> body) {
        return asAdmin().body(body).post("/api/v1/webhooks").then();
    }

    private JsonNode property(String body, String name) {
        JsonNode property = schemas.path(body).path("properties").path(name);
        assertTrue(property.isObject(), body + "." + name + " is in the document");
        return property;
    }

    private int maxLength(String body, String name) {
        JsonNode maxLength = property(body, name).path("maxLength");
        assertTrue(maxLength.isInt(), body + "." + name + " declares maxLength");
        return maxLength.asInt();
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? schema : schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    /** True if the schema's type is the given one, alone or with null (OpenAPI 3.1 nullability). */
    private static boolean isType(JsonNode schema, String type) {
        JsonNode declared = schema.path("type");
        return declared.isArray() ? texts(declared).contains(type) : type.equals(declared.asText());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
