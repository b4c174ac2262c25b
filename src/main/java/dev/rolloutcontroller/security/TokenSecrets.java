package dev.rolloutcontroller.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token secrets: 256 random bits, shown once, stored as SHA-256. A plain fast hash is enough for a
 * full-entropy secret (nothing to brute-force), and it keeps the per-request check cheap
 * (docs/decisions/0002-api-tokens.md).
 */
public final class TokenSecrets {

    /** Makes the secret recognisable in logs and secret scanners. */
    public static final String PREFIX = "rc_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** One digest per thread: every authenticated request hashes its token, so skip the provider look-up. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    });

    public static String hash(String secret) {
        return HexFormat.of().formatHex(SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
