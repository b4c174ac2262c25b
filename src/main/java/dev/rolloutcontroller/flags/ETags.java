package dev.rolloutcontroller.flags;

/**
 * Strong entity tags for flag responses, and {@code If-None-Match} matching. A tag names the
 * rollout's version and hashes what else shapes the body: the rollout's identity (key and creation
 * time, so a rollout re-created under the same key never matches an old tag), the representation
 * and the session. The hash keeps session ids, which may hold quotes, out of the header.
 */
final class ETags {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ETags() {
    }

    /** A seed for the tags of one thing (a rollout, or the whole snapshot). */
    static long seed(String text, long number) {
        return mix(mix(FNV_OFFSET, text), number);
    }

    /** {@code "<prefix><version>-<16 hex digits>"}, quotes included, as the header carries it. */
    static String tag(char prefix, long version, long seed, char representation, String session) {
        long hash = finish(mix(mix(seed, representation), session == null ? "" : session));
        return "\"" + prefix + version + "-" + hex16(hash) + "\"";
    }

    /**
     * Whether an {@code If-None-Match} value names this tag: {@code *}, or a comma-separated list
     * compared weakly (a {@code W/} prefix is ignored), as RFC 9110 says for this header.
     */
    static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        int length = ifNoneMatch.length();
        int start = 0;
        while (start < length) {
            int end = ifNoneMatch.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            int to = end;
            while (from < to && ifNoneMatch.charAt(from) == ' ') {
                from++;
            }
            while (to > from && ifNoneMatch.charAt(to - 1) == ' ') {
                to--;
            }
            if (to - from == 1 && ifNoneMatch.charAt(from) == '*') {
                return true;
            }
            if (ifNoneMatch.startsWith("W/", from)) {
                from += 2;
            }
            if (to - from == tag.length() && ifNoneMatch.regionMatches(from, tag, 0, tag.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    static long mix(long hash, String text) {
        long h = hash;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        // A separator, so ("ab", "c") and ("a", "bc") hash differently.
        return (h ^ 0xffff) * FNV_PRIME;
    }

    static long mix(long hash, long number) {
        long h = hash;
        for (int shift = 0; shift < 64; shift += 16) {
            h = (h ^ ((number >>> shift) & 0xffff)) * FNV_PRIME;
        }
        return h;
    }

    private static long mix(long hash, char c) {
        return (hash ^ c) * FNV_PRIME;
    }

    /** MurmurHash3's 64-bit finaliser: spreads every input bit over the whole tag. */
    private static long finish(long hash) {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
    }
}
