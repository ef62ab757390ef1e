package io.solconnect.relay.examples.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The server side of a WebSocket opening handshake (RFC 6455 section 4.2) for the raw-socket test
 * relays of this package ({@link FloodingRelay}, {@link ScriptedSyncRelay}, {@link OriginalSyncRelay},
 * {@link HostileServer}), which speak the protocol by hand to behave in ways a real server would not.
 * Stateless and thread-safe.
 */
final class WsHandshake {

    /** The GUID the server appends to the client's key (RFC 6455). */
    static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Longest request head read, in bytes. */
    private static final int MAX_HEAD = 64 * 1024;

    private WsHandshake() {
    }

    /**
     * Reads an HTTP request head up to and including the blank line.
     *
     * @return the head as US-ASCII, or null at end of stream or past 64 KiB
     */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() > MAX_HEAD) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /**
     * The value of header {@code name} (lower case) in a request head.
     *
     * @return the trimmed value, or null when absent
     */
    static String header(String request, String name) {
        for (String line : request.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The {@code Sec-WebSocket-Accept} value for the client's {@code Sec-WebSocket-Key}. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
