package dev.rolloutcontroller.domain;

/**
 * An independent transcription of MurmurHash3 x86_32 (Austin Appleby's reference), used only as an
 * oracle to check the library call and its arguments (seed, byte order, tail handling).
 */
final class Murmur3Oracle {

    private Murmur3Oracle() {
    }

    static int hash32(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8 | (data[4 * i + 2] & 0xff) << 16 | (data[4 * i + 3] & 0xff) << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int remaining = data.length & 3;
        if (remaining > 0) {
            int k = 0;
            if (remaining == 3) {
                k ^= (data[tail + 2] & 0xff) << 16;
            }
            if (remaining >= 2) {
                k ^= (data[tail + 1] & 0xff) << 8;
            }
            k ^= data[tail] & 0xff;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** The bucket, computed the way Unleash's SDKs normalise: unsigned hash mod 100, plus 1. */
    static int bucket(byte[] data) {
        return (int) (Integer.toUnsignedLong(hash32(data, 0)) % 100) + 1;
    }
}
