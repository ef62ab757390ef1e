package io.solconnect.relay.core.internal.engine;

import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Generates UUIDv7 message ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter
 * that keeps ids from one generator strictly increasing within a millisecond, then 62 random bits.
 * The text form therefore sorts in creation order. Thread-safe (synchronized).
 */
final class MessageIds {

    private final RandomGenerator random;
    private long lastMillis = -1;
    private int counter;

    MessageIds(RandomGenerator random) {
        this.random = random;
    }

    synchronized String next(long unixMillis) {
        long ms = Math.max(unixMillis, lastMillis);
        if (ms == lastMillis) {
            counter++;
            if (counter > 0xFFF) {
                ms++;
                counter = 0;
            }
        } else {
            counter = random.nextInt(0x200);
        }
        lastMillis = ms;
        long msb = (ms & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (counter & 0xFFF);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
