package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.flags.FlagFixtures.Stage;
import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** OFREP (service/openapi.yaml v0.3.0): every status of both endpoints, and the reason mapping. */
@QuarkusTest
class OfrepContractTest {

    private static final String SINGLE = "/ofrep/v1/evaluate/flags/{key}";
    private static final String BULK = "/ofrep/v1/evaluate/flags";

    private String token;

    @BeforeEach
    void createReaderToken() {
        token = Api.tokenWith("reader");
    }

    private RequestSpecification ofrep() {
        return given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    private static String context(String targetingKey) {
        return "{\"context\":{\"targetingKey\":\"" + targetingKey + "\"}}";
    }

    @ParameterizedTest(name = "{0}: canary={1} bucket={2} -> {3} {4}")
    @CsvSource({
            "DRAFT,                    false, 1,   false, DISABLED,        DRAFT",
            "SHADOW,                   true,  1,   false, STATIC,          SHADOW",
            "CANARY,                   true,  100, true,  TARGETING_MATCH, CANARY_LIST",
            "CANARY,                   false, 10,  true,  SPLIT,           PERCENTAGE",
            "CANARY,                   false, 11,  false, SPLIT,           NOT_SELECTED",
            "FULL,                     false, 100, true,  STATIC,          FULL",
            "COMPLETED,                false, 100, true,  STATIC,          FULL",
            "ROLLED_BACK_FROM_GRADUAL, true,  1,   false, DISABLED,        ROLLED_BACK",
    })
    void shouldEvaluateTheRolloutAsABooleanFlag(Stage stage, boolean inCanary, int bucket, boolean value, String reason, String decision) {
        String key = Api.uniqueKey("ofrep");
        String session = FlagFixtures.sessionWithBucket(key, "s", bucket);
        FlagFixtures.createAt(key, stage, inCanary ? List.of(session) : List.of());
        ofrep().body(context(session)).post(SINGLE, key)
                .then().statusCode(200).contentType("application/json")
                .header("ETag", notNullValue())
                .body("key", equalTo(key))
                .body("value", equalTo(value))
                .body("reason", equalTo(reason))
                .body("variant", equalTo(value ? "on" : "off"))
                .body("metadata.decisionReason", equalTo(decision))
                .body("metadata.bucket", equalTo(bucket))
                .body("metadata.version", equalTo(1 + stage.actions.size()))
                .body("$", not(hasKey("errorCode")));
    }

    @Test
    void shouldAnswer400WithTheProtocolsErrorCodes() {
        String key = Api.createRollout("ofrep-400");
        String[][] cases = {
                {"{\"context\":{}}", "TARGETING_KEY_MISSING"},
                {"{}", "TARGETING_KEY_MISSING"},
                {"", "TARGETING_KEY_MISSING"},
                {"{\"context\":{\"targetingKey\":null}}", "TARGETING_KEY_MISSING"},
                {"{\"context\":{\"targetingKey\":\"\"}}", "TARGETING_KEY_MISSING"},
                {"{\"context\":{\"targetingKey\":\"a b\"}}", "INVALID_CONTEXT"},
                {"{\"context\":{\"targetingKey\":42}}", "INVALID_CONTEXT"},
                {"{\"context\":\"s1\"}", "INVALID_CONTEXT"},
                {"[1,2]", "INVALID_CONTEXT"},
                {"{\"context\":", "PARSE_ERROR"},
                {"not json", "PARSE_ERROR"},
        };
        for (String[] c : cases) {
            ofrep().body(c[0]).post(SINGLE, key)
                    .then().statusCode(400).contentType("application/json")
                    .body("key", equalTo(key))
                    .body("errorCode", equalTo(c[1]))
                    .body("errorDetails", not(emptyString()));
            ofrep().body(c[0]).post(BULK)
                    .then().statusCode(400).contentType("application/json")
                    .body("errorCode", equalTo(c[1]))
                    .body("errorDetails", not(emptyString()))
                    .body("$", not(hasKey("key")));
        }
    }

    @Test
    void shouldAnswer404FlagNotFound() {
        ofrep().body(context("s1")).post(SINGLE, "no-such-flag")
                .then().statusCode(404).contentType("application/json")
                .body("key", equalTo("no-such-flag"))
                .body("errorCode", equalTo("FLAG_NOT_FOUND"))
                .body("errorDetails", not(emptyString()));
    }

    @Test
    void shouldAnswer401WithoutBodyAndAcceptBothTokenHeaders() {
        String key = Api.createRollout("ofrep-auth");
        given().contentType("application/json").body(context("s1")).post(SINGLE, key)
                .then().statusCode(401).body(emptyString());
        given().contentType("application/json").header("Authorization", "Bearer rc_wrong").body(context("s1")).post(BULK)
                .then().statusCode(401).body(emptyString());
        given().contentType("application/json").header("X-API-Key", token).body(context("s1")).post(SINGLE, key)
                .then().statusCode(200).body("key", equalTo(key));
        given().contentType("application/json").header("X-API-Key", token).body(context("s1")).post(BULK)
                .then().statusCode(200);
    }

    @Test
    void shouldEvaluateEveryFlagInBulkWithETagAnd304() {
        String live = Api.createRollout("ofrep-bulk-live", "s1");
        String draft = Api.createRollout("ofrep-bulk-draft", "s1");
        FlagFixtures.act(live, "start");
        Response first = ofrep().body(context("s1")).post(BULK);
        first.then().statusCode(200).contentType("application/json")
                .header("Cache-Control", "no-cache")
                .body("flags.find { it.key == '" + live + "' }.value", equalTo(true))
                .body("flags.find { it.key == '" + live + "' }.reason", equalTo("TARGETING_MATCH"))
                .body("flags.find { it.key == '" + live + "' }.variant", equalTo("on"))
                .body("flags.find { it.key == '" + draft + "' }.value", equalTo(false))
                .body("flags.find { it.key == '" + draft + "' }.reason", equalTo("DISABLED"))
                .body("flags.find { it.key == '" + draft + "' }.metadata", aMapWithSize(6))
                .body("$", aMapWithSize(1));
        String etag = first.header("ETag");
        ofrep().header("If-None-Match", etag).body(context("s1")).post(BULK)
                .then().statusCode(304).header("ETag", etag).body(emptyString());
        ofrep().header("If-None-Match", etag).body(context("s2")).post(BULK).then().statusCode(200);
        FlagFixtures.act(draft, "start");
        ofrep().header("If-None-Match", etag).body(context("s1")).post(BULK)
                .then().statusCode(200).body("flags.find { it.key == '" + draft + "' }.value", equalTo(true));
    }

    @Test
    void shouldAnswer304OnSingleEvaluationWhileUnchanged() {
        String key = Api.createRollout("ofrep-single-304", "s1");
        String etag = ofrep().body(context("s1")).post(SINGLE, key).then().statusCode(200).extract().header("ETag");
        ofrep().header("If-None-Match", etag).body(context("s1")).post(SINGLE, key).then().statusCode(304).body(emptyString());
        ofrep().header("If-None-Match", etag).body(context("s2")).post(SINGLE, key).then().statusCode(200);
    }

    @Test
    void shouldDocumentBothEndpointsInOpenApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/ofrep/v1/evaluate/flags"))
                .body("paths", hasKey("/ofrep/v1/evaluate/flags/{key}"))
                .body("paths", hasKey("/api/v1/rollouts/{key}/flags"))
                .body("paths", hasKey("/api/v1/rollouts/{key}/flags/stream"))
                .body("paths", hasKey("/api/v1/rollouts/{key}/flags/evaluate"))
                .body("paths", hasKey("/api/v1/sessions/{sessionId}/flags"));
    }
}
