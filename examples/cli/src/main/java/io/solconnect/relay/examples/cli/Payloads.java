package io.solconnect.relay.examples.cli;

import java.util.Optional;

/**
 * The test payload {@code send} writes and {@code receive} checks:
 * {@code "seq=<n> from=<sender> at=<epoch ms> "} padded with {@code '.'} to the requested size, so a
 * receiver can detect loss, duplicates and reordering per sender without trusting the relay.
 */
public final class Payloads {

    private Payloads() {
    }

    /**
     * A parsed payload header.
     *
     * @param seq      the sender's sequence number, from 1
     * @param from     the sender id
     * @param sentAtMs the sender's wall-clock time in epoch milliseconds
     */
    public record Header(long seq, String from, long sentAtMs) {
    }

    /**
     * Builds a payload.
     *
     * @param seq      the sequence number
     * @param from     the sender id (no spaces)
     * @param sentAtMs epoch milliseconds
     * @param size     the total size in characters; the header is never cut
     * @return the payload
     */
    public static String make(long seq, String from, long sentAtMs, int size) {
        StringBuilder sb = new StringBuilder(Math.max(size, 48));
        sb.append("seq=").append(seq).append(" from=").append(from).append(" at=").append(sentAtMs).append(' ');
        while (sb.length() < size) {
            sb.append('.');
        }
        return sb.toString();
    }

    /**
     * Parses a payload header.
     *
     * @param payload the payload
     * @return the header, or empty when the payload is not one of ours
     */
    public static Optional<Header> parse(String payload) {
        String[] parts = payload.split(" ", 4);
        if (parts.length < 3 || !parts[0].startsWith("seq=") || !parts[1].startsWith("from=") || !parts[2].startsWith("at=")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Header(Long.parseLong(parts[0].substring(4)), parts[1].substring(5),
                    Long.parseLong(parts[2].substring(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
