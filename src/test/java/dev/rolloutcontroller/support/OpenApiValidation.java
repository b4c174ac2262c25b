package dev.rolloutcontroller.support;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every Rest Assured response to /api/** and /ofrep/** against the served OpenAPI document:
 * the status must be documented for the operation (a method the path lacks must be a 405), the
 * content type must be one the document lists, and the body must validate against its schema
 * (JSON Schema 2020-12, as OpenAPI 3.1 defines schemas). See docs/decisions/0009.
 */
public final class OpenApiValidation implements Filter {

    /** Installs the filter for every @QuarkusTest method (registered in META-INF/services). */
    public static final class InstallBeforeEachTest implements QuarkusTestBeforeEachCallback {
        @Override
        public void beforeEach(QuarkusTestMethodContext context) {
            if (RestAssured.filters().stream().noneMatch(OpenApiValidation.class::isInstance)) {
                RestAssured.filters(new OpenApiValidation());
            }
        }
    }

    private static final String DOCUMENT = "https://rollout-controller.test/openapi.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]+}");
    private static final Map<Integer, Document> DOCUMENTS = new ConcurrentHashMap<>();

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        String path = URI.create(request.getURI()).getRawPath();
        if (!path.startsWith("/api/") && !path.startsWith("/ofrep/")) {
            return response;
        }
        List<String> problems = DOCUMENTS.computeIfAbsent(request.getPort(), Document::load)
                .check(request.getMethod(), path, response);
        if (!problems.isEmpty()) {
            throw new AssertionError("the response to " + request.getMethod() + " " + path + " (" + response.statusCode()
                    + ") disagrees with /q/openapi:\n  " + String.join("\n  ", problems) + "\nbody: " + abbreviate(response.asString()));
        }
        return response;
    }

    private static String abbreviate(String body) {
        return body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
    }

    private record Route(String template, Pattern pattern, int variables) {
    }

    private static final class Document {
        private final JsonNode root;
        private final SchemaRegistry registry;
        private final List<Route> routes = new ArrayList<>();
        private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

        private Document(String text) {
            this.root = JSON.readTree(text);
            this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(Map.of(DOCUMENT, text)));
            for (Iterator<String> names = root.path("paths").propertyNames().iterator(); names.hasNext(); ) {
                String template = names.next();
                Matcher variable = VARIABLE.matcher(template);
                StringBuilder regex = new StringBuilder();
                int last = 0;
                int count = 0;
                while (variable.find()) {
                    regex.append(Pattern.quote(template.substring(last, variable.start()))).append("[^/]+");
                    last = variable.end();
                    count++;
                }
                regex.append(Pattern.quote(template.substring(last)));
                routes.add(new Route(template, Pattern.compile(regex.toString()), count));
            }
            routes.sort(Comparator.comparingInt(Route::variables));
        }

        static Document load(int port) {
            try {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString());
                return new Document(answer.body());
            } catch (Exception e) {
                throw new IllegalStateException("cannot read /q/openapi", e);
            }
        }

        List<String> check(String method, String path, Response response) {
            List<String> problems = new ArrayList<>();
            Route route = routes.stream().filter(r -> r.pattern().matcher(path).matches()).findFirst().orElse(null);
            if (route == null) {
                return problems;
            }
            String pointer = "/paths/" + escape(route.template());
            JsonNode operation = root.at(pointer).path(method.toLowerCase(Locale.ROOT));
            int status = response.statusCode();
            if (operation.isMissingNode()) {
                if (method.equals("HEAD") || method.equals("OPTIONS")) {
                    return problems;
                }
                if (status != 405) {
                    problems.add(method + " is not in the document for " + route.template() + ", so it must be a 405");
                }
                return problems;
            }
            String statusKey = Integer.toString(status);
            JsonNode described = operation.path("responses").path(statusKey);
            if (described.isMissingNode()) {
                statusKey = "default";
                described = operation.path("responses").path("default");
            }
            if (described.isMissingNode()) {
                problems.add("status " + status + " is not documented for " + method + " " + route.template());
                return problems;
            }
            String body = response.asString();
            if (status == 304 || body == null || body.isEmpty()) {
                return problems;
            }
            String contentType = response.contentType() == null ? "" : response.contentType().split(";")[0].trim();
            if (contentType.equals("text/event-stream")) {
                return problems;
            }
            JsonNode content = described.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                problems.add("a body (" + contentType + ") where the document describes none");
                return problems;
            }
            JsonNode media = content.path(contentType);
            String mediaKey = contentType;
            if (media.isMissingNode()) {
                media = content.path("*/*");
                mediaKey = "*/*";
            }
            if (media.isMissingNode()) {
                problems.add("content type " + contentType + " is not among " + content.propertyNames());
                return problems;
            }
            if (!contentType.endsWith("json") || media.path("schema").isMissingNode()) {
                return problems;
            }
            String schemaPointer = pointer + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + statusKey
                    + "/content/" + escape(mediaKey) + "/schema";
            Schema schema = schemas.computeIfAbsent(schemaPointer, p -> registry.getSchema(SchemaLocation.of(DOCUMENT + "#" + p)));
            for (Error error : schema.validate(body, InputFormat.JSON)) {
                problems.add(error.toString());
            }
            return problems;
        }

        private static String escape(String segment) {
            return segment.replace("~", "~0").replace("/", "~1");
        }
    }
}
