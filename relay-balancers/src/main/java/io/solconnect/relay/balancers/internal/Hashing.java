package io.solconnect.relay.balancers.internal;

/**
 * Stable 64-bit hashing for rendezvous affinity. The results must be equal on every client, every
 * JVM and every release, so the functions are written out here rather than taken from
 * {@link String#hashCode()} (32 bits, weak) or anything seeded per process.
 *
 * <p>The affinity score of relay {@code r} for key {@code k} is computed as
 * {@code u = ((fmix64(hash(k) ^ rotl(hash(r.id), 31)) >>> 11) + 0.5) * 2^-53}, a value in (0, 1),
 * where {@code hash(s)} is FNV-1a-64 over the UTF-16 code units of {@code s} (each unit folded in as
 * one 16-bit value) finished with MurmurHash3's {@code fmix64}. Weighted rendezvous ranks relays by
 * {@code -ln(u) / w} (lowest first) with {@link StrictMath#log(double)} for bit-exact results.
 */
final class Hashing {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    /** FNV-1a-64 over UTF-16 code units, then fmix64. */
    static long hash(String s) {
        long h = FNV_OFFSET;
        for (int i = 0, n = s.length(); i < n; i++) {
            h ^= s.charAt(i);
            h *= FNV_PRIME;
        }
        return fmix64(h);
    }

    /** MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the output. */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** The uniform (0, 1) draw of one (key, relay) pair. */
    static double unit(long keyHash, long idHash) {
        long h = fmix64(keyHash ^ Long.rotateLeft(idHash, 31));
        return ((h >>> 11) + 0.5) * 0x1.0p-53;
    }
}
