package dev.rolloutcontroller.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds to every operation the error answers any request can get (a bad token, a missing role,
 * an oversized or malformed request, the database away), each as the RFC 9457 problem document, and
 * gives a problem body to the error answers the resources declare by status alone. The resources
 * keep the statuses that are particular to them (409, 412, ...).
 */
public class ErrorResponses implements OASFilter {

    static final String PROBLEM_SCHEMA = "Problem";

    /** Status → description, added where the operation does not already describe the status. */
    private static final Map<String, String> EVERY_OPERATION = ordered(
            "400", "Invalid request: a field, a query parameter or the JSON itself; errors[] names each field",
            "401", "No valid API token",
            "403", "The token lacks the role this needs",
            "406", "None of the accepted media types can be produced",
            "414", "The path and query are too long",
            "431", "The request headers are too large",
            "503", "The database cannot be reached; retry after Retry-After seconds");
    private static final Map<String, String> WITH_PATH_PARAMETERS = ordered("404", "No such resource");
    private static final Map<String, String> WITH_BODY = ordered(
            "413", "The body is too large",
            "415", "The body is not sent as application/json");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(PROBLEM_SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/") || path.startsWith("/ofrep/")) {
                item.getOperations().values().forEach(operation -> describeErrors(path, operation));
            }
        });
    }

    private static void describeErrors(String path, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        EVERY_OPERATION.forEach((status, description) -> addIfAbsent(responses, status, description));
        if (path.contains("{")) {
            WITH_PATH_PARAMETERS.forEach((status, description) -> addIfAbsent(responses, status, description));
        }
        if (operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(parameter -> "If-Match".equalsIgnoreCase(parameter.getName()))) {
            addIfAbsent(responses, "412", "If-Match names another version than the current one");
        }
        if (operation.getRequestBody() != null) {
            WITH_BODY.forEach((status, description) -> addIfAbsent(responses, status, description));
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                if (response.getContent() == null || response.getContent().getMediaTypes() == null
                        || response.getContent().getMediaTypes().isEmpty()) {
                    response.setContent(problemContent());
                }
            }
        });
    }

    private static void addIfAbsent(APIResponses responses, String status, String description) {
        if (responses.getAPIResponse(status) == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(problemContent()));
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA)));
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", text).addProperty("message", text)
                .required(List.of("field", "message"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; some problems add members (e.g. currentVersion, allowedActions)")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Stable per kind of problem, e.g. /problems/conflict"))
                .addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(java.math.BigDecimal.valueOf(400)).maximum(java.math.BigDecimal.valueOf(599)))
                .addProperty("detail", text)
                .addProperty("instance", text)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .required(List.of("type", "title", "status"));
    }

    private static Map<String, String> ordered(String... statusAndDescription) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < statusAndDescription.length; i += 2) {
            map.put(statusAndDescription[i], statusAndDescription[i + 1]);
        }
        return map;
    }
}
