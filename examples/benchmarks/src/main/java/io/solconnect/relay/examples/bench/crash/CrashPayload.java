package io.solconnect.relay.examples.bench.crash;

import java.util.Optional;

/**
 * The payload the crash benchmark's sender writes: {@code "crash inc=<k> seq=<n> "} padded with
 * {@code '.'}. {@code seq} numbers messages across every incarnation of the sender (a restarted
 * sender continues after the highest number it confirmed); {@code inc} (1, 2, ...) tells apart two
 * messages that got the same number because the process died between accepting one and printing
 * its confirmation, so that such a message is never mistaken for a duplicate.
 *
 * @param incarnation which start of the sender process, from 1
 * @param seq         the message number, from 1
 */
record CrashPayload(int incarnation, long seq) {

    private static final String PREFIX = "crash inc=";

    CrashPayload {
        if (incarnation < 1 || incarnation > MAX_INCARNATION || seq < 1 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("incarnation 1.." + MAX_INCARNATION + " and seq 1.." + MAX_SEQ
                    + " expected, were " + incarnation + " and " + seq);
        }
    }

    /** Largest incarnation: a process started more often than this is not a benchmark. */
    static final int MAX_INCARNATION = 1 << 20;
    /** Largest message number (40 bits, so that {@link #orderKey()} fits a long). */
    static final long MAX_SEQ = (1L << 40) - 1;

    /**
     * The position of this message in the sender's send order: incarnation first, then number.
     * Every message a later incarnation sends was sent after every message of an earlier one.
     *
     * @return a key that grows with send order
     */
    long orderKey() {
        return ((long) incarnation << 40) | seq;
    }

    /**
     * The payload text.
     *
     * @param size the total size in characters; the header is never cut
     * @return the payload
     */
    String encode(int size) {
        StringBuilder sb = new StringBuilder(Math.max(size, 40));
        sb.append(PREFIX).append(incarnation).append(" seq=").append(seq).append(' ');
        while (sb.length() < size) {
            sb.append('.');
        }
        return sb.toString();
    }

    /**
     * Parses a payload.
     *
     * @param payload the payload
     * @return the header, or empty when the payload is not one of ours
     */
    static Optional<CrashPayload> parse(String payload) {
        if (!payload.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = payload.split(" ", 4);
        if (parts.length < 3 || !parts[2].startsWith("seq=")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CrashPayload(Integer.parseInt(parts[1].substring(4)), Long.parseLong(parts[2].substring(4))));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return Optional.empty();
        }
    }
}
