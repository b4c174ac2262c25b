package dev.rolloutcontroller.api;

import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.core.EntityTag;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A rollout's version as an HTTP entity tag, and If-Match back to a version. */
final class Versions {

    private Versions() {
    }

    static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * The tag of a representation that shows more than the stored row (live gates, the last
     * evaluation): the version, then a digest of the body, so the tag changes whenever the body does
     * and still leads with the version If-Match needs.
     */
    static EntityTag etag(long version, byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new EntityTag(version + "." + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** {@code null} when no precondition was sent (or {@code *}); accepts "7", W/"7", 7 and "7.<digest>". */
    static Long fromIfMatch(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        int digest = value.indexOf('.');
        if (digest > 0) {
            value = value.substring(0, digest);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ServiceException(ServiceException.Kind.PRECONDITION_FAILED,
                    "If-Match must be an ETag returned by this API, e.g. \"3\"");
        }
    }
}
