package dev.rolloutcontroller.domain;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A session's bucket, 1..100: {@code (murmur3_x86_32(UTF-8 of group + ":" + sessionId, seed 0) as
 * unsigned) mod 100 + 1}. This is Unleash's normalisation, so buckets are stable across replicas,
 * languages and a migration from Unleash (same group), and a session in at p% stays in at every q ≥ p.
 */
public final class Bucketing {

    private Bucketing() {
    }

    public static int bucket(String group, String sessionId) {
        // Explicit UTF-8: hashing the platform charset once made Unleash Java disagree with other SDKs.
        byte[] bytes = (group + ":" + sessionId).getBytes(StandardCharsets.UTF_8);
        // hash32x86(byte[]) uses seed 0; the deprecated hash32 variants use another seed and must not be used.
        return (int) (Integer.toUnsignedLong(MurmurHash3.hash32x86(bytes)) % 100) + 1;
    }
}
