package io.solconnect.relay.core.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The framing of one {@code outbox.log} line: the JSON entry, a tab and the CRC32C of the entry's
 * UTF-8 bytes in eight lowercase hex digits. JSON as Jackson writes it never holds a raw tab, so
 * the last tab separates the two. Lines written before checksums existed (no tab) are still read,
 * unchecked. Stateless and thread-safe.
 */
final class OutboxLine {

    private static final int HEX = 8;

    private OutboxLine() {
    }

    /**
     * Frames an entry.
     *
     * @param json the entry, one line of JSON
     * @return the line without its newline
     */
    static String frame(String json) {
        return json + '\t' + checksum(json);
    }

    /**
     * Unframes a line.
     *
     * @param line the line without its newline
     * @return the JSON entry, or empty when the checksum is missing its digits or does not match
     */
    static Optional<String> unframe(String line) {
        int tab = line.lastIndexOf('\t');
        if (tab < 0) {
            return Optional.of(line); // written before checksums; JSON parsing still checks its shape
        }
        String json = line.substring(0, tab);
        String sum = line.substring(tab + 1);
        return sum.length() == HEX && sum.equals(checksum(json)) ? Optional.of(json) : Optional.empty();
    }

    private static String checksum(String json) {
        CRC32C crc = new CRC32C();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
