package dev.rolloutcontroller.api;

import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.core.EntityTag;

/** A rollout's version as an HTTP entity tag, and If-Match back to a version. */
final class Versions {

    private Versions() {
    }

    static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** {@code null} when no precondition was sent (or {@code *}); accepts "7", W/"7" and 7. */
    static Long fromIfMatch(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ServiceException(ServiceException.Kind.PRECONDITION_FAILED,
                    "If-Match must be an ETag returned by this API, e.g. \"3\"");
        }
    }
}
