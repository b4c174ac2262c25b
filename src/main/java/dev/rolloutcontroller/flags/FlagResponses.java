package dev.rolloutcontroller.flags;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The caching headers every flag response carries: a strong ETag and {@code Cache-Control: no-cache}. */
final class FlagResponses {

    /** Caches may store the response but must revalidate it (with If-None-Match) before each use. */
    static final String NO_CACHE = "no-cache";

    private FlagResponses() {
    }

    static Response.ResponseBuilder ok(Object entity, String mediaType, String etag) {
        return cached(Response.ok(entity, mediaType), etag);
    }

    static Response okJson(Object entity, String etag) {
        return ok(entity, MediaType.APPLICATION_JSON, etag).build();
    }

    /** 304: no body, the same validators. */
    static Response.ResponseBuilder notModified(String etag) {
        return cached(Response.notModified(), etag);
    }

    private static Response.ResponseBuilder cached(Response.ResponseBuilder response, String etag) {
        return response.header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, NO_CACHE);
    }
}
