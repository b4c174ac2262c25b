package dev.rolloutcontroller.flags;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.domain.DecisionReason;
import dev.rolloutcontroller.domain.FlagDecision;
import dev.rolloutcontroller.domain.Identifiers;
import dev.rolloutcontroller.domain.Rollout;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Optional;

/**
 * The OpenFeature Remote Evaluation Protocol's shapes (service/openapi.yaml, v0.3.0) and how a
 * rollout's decision maps onto them: the flag is boolean, the session is the targeting key.
 */
final class Ofrep {

    static final String TARGETING_KEY_MISSING = "TARGETING_KEY_MISSING";
    static final String INVALID_CONTEXT = "INVALID_CONTEXT";
    static final String PARSE_ERROR = "PARSE_ERROR";
    static final String FLAG_NOT_FOUND = "FLAG_NOT_FOUND";

    private Ofrep() {
    }

    @Schema(name = "OfrepEvaluationSuccess")
    public record Success(
            @Schema(description = "The flag key: the rollout's key", examples = "modular-monitor") String key,
            @Schema(description = "Whether the session runs the new path") boolean value,
            @Schema(description = "TARGETING_MATCH (canary list), SPLIT (percentage), STATIC (100%, or off for everyone in a "
                    + "shadow step), DISABLED (draft or rolled back)", examples = "SPLIT") String reason,
            @Schema(description = "on or off", examples = "on") String variant,
            Metadata metadata) {
    }

    @Schema(name = "OfrepFlagMetadata", description = "The rollout's own view of the decision")
    public record Metadata(
            @Schema(description = "The rollout's version") long version,
            @Schema(description = "The session's bucket, 1-100") int bucket,
            @Schema(description = "The rollout's reason: CANARY_LIST, PERCENTAGE, FULL, NOT_SELECTED, SHADOW, DRAFT, ROLLED_BACK")
            String decisionReason,
            @Schema(description = "The rollout's status") String status,
            @Schema(description = "The current step's name") String step,
            @Schema(description = "Share of sessions on the new path") int percentage) {
    }

    /** A failed evaluation; a bulk request's failure has no key. */
    @Schema(name = "OfrepEvaluationFailure")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String key, String errorCode, String errorDetails) {
    }

    @Schema(name = "OfrepBulkEvaluationSuccess")
    public record Bulk(List<Success> flags) {
    }

    /** The targeting key of a request body, or why there is none usable. */
    sealed interface Context {
        record Session(String id) implements Context {
        }

        record Invalid(String errorCode, String errorDetails) implements Context {
        }
    }

    /**
     * Reads {@code {"context":{"targetingKey":"<session id>"}}}. No body, no context or no key is
     * TARGETING_KEY_MISSING; a body that is not JSON is PARSE_ERROR; anything else unusable
     * (a context that is not an object, a key that is not a valid session id) is INVALID_CONTEXT.
     */
    static Context context(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return missing();
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            return new Context.Invalid(PARSE_ERROR, "the body is not valid JSON"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (!root.isObject()) {
            return new Context.Invalid(INVALID_CONTEXT, "the body must be a JSON object: {\"context\":{\"targetingKey\":\"<session id>\"}}");
        }
        JsonNode context = root.get("context");
        if (context == null || context.isNull()) {
            return missing();
        }
        if (!context.isObject()) {
            return new Context.Invalid(INVALID_CONTEXT, "context must be a JSON object");
        }
        JsonNode targetingKey = context.get("targetingKey");
        if (targetingKey == null || targetingKey.isNull()) {
            return missing();
        }
        if (!targetingKey.isTextual()) {
            return new Context.Invalid(INVALID_CONTEXT, "targetingKey must be a string: the session id");
        }
        String session = targetingKey.textValue();
        if (session.isEmpty()) {
            return missing();
        }
        Optional<String> problem = Identifiers.sessionIdProblem(session);
        if (problem.isPresent()) {
            return new Context.Invalid(INVALID_CONTEXT, "targetingKey: " + problem.get());
        }
        return new Context.Session(session);
    }

    static Success success(RolloutFlags flags, String session) {
        FlagDecision decision = flags.decide(session);
        Rollout rollout = flags.rollout();
        return new Success(rollout.key(), decision.enabled(), reason(decision.reason()), decision.enabled() ? "on" : "off",
                new Metadata(rollout.version(), decision.bucket(), decision.reason().name(), rollout.status().name(),
                        rollout.currentStep().name(), rollout.percentage()));
    }

    /** OpenFeature's reasons: why the value is what it is, in the words every SDK understands. */
    static String reason(DecisionReason reason) {
        return switch (reason) {
            case CANARY_LIST -> "TARGETING_MATCH";
            case PERCENTAGE, NOT_SELECTED -> "SPLIT";
            case FULL, SHADOW -> "STATIC";
            case DRAFT, ROLLED_BACK -> "DISABLED";
        };
    }

    private static Context.Invalid missing() {
        return new Context.Invalid(TARGETING_KEY_MISSING, "send the session id as context.targetingKey: {\"context\":{\"targetingKey\":\"session1\"}}");
    }
}
