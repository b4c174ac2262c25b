package dev.rolloutcontroller.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

/**
 * Refuses oversized requests before anything reads them, with a problem+json body like every other
 * error. Vert.x would answer 414 and 431 itself with an empty body, so its own limits are set well
 * above these (quarkus.http.limits.max-initial-line-length, max-header-size) and only a request past
 * those still gets its bare answer. Runs just before Quarkus' own body-size check (order -2).
 */
@ApplicationScoped
public class RequestLimits {

    /** Longest request target (path and query) served; longer ones are a 414. */
    static final int MAX_URI_LENGTH = 8 * 1024;
    /** Most bytes of header names and values; more is a 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int ORDER = -3;

    private final long maxBodySize;

    RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.uri().length() > MAX_URI_LENGTH) {
            refuse(context, 414, "uri-too-long", "URI too long", "the path and query are at most " + MAX_URI_LENGTH + " characters");
            return;
        }
        int headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length();
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            refuse(context, 431, "headers-too-large", "Request headers too large",
                    "the headers are at most " + MAX_HEADER_BYTES + " bytes in all");
            return;
        }
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (contentLength != null && parses(contentLength) && Long.parseLong(contentLength.trim()) > maxBodySize) {
            refuse(context, 413, "body-too-large", "Request body too large", "the body is at most " + maxBodySize + " bytes");
            return;
        }
        if (hasNoBody(request) && request.getHeader(HttpHeaders.CONTENT_TYPE) == null
                && (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT)) {
            // `curl -X POST .../pause` sends no body and no type; an absent body is an absent JSON body.
            request.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        context.next();
    }

    private static boolean hasNoBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null && (length == null || length.trim().equals("0"));
    }

    private static boolean parses(String value) {
        try {
            Long.parseLong(value.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private static void refuse(RoutingContext context, int status, String slug, String title, String detail) {
        String body = "{\"type\":\"/problems/" + slug + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        HttpServerRequest request = context.request();
        // The HTTP server metrics would otherwise tag this answer with the client's raw path (an
        // unbounded label); Quarkus's binder reads the template from this request-context local.
        Context requestContext = Vertx.currentContext();
        if (requestContext != null) {
            requestContext.putLocal(URL_PATH_TEMPLATE, "/refused/" + slug);
        }
        // The body (if any) is never read: close once the answer is out rather than wait for it.
        context.response().endHandler(done -> request.connection().close());
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
