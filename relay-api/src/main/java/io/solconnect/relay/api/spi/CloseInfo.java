package io.solconnect.relay.api.spi;

import java.util.Objects;

/**
 * How a connection ended. Immutable and thread-safe.
 *
 * @param code      the WebSocket close code; 1006 when the connection dropped without a close frame
 * @param reason    the reason text or the error, in words
 * @param kind      whether trying again (elsewhere) makes sense
 */
public record CloseInfo(int code, String reason, Kind kind) {

    /** Whether a close is worth retrying. */
    public enum Kind {
        /** Network trouble, server restart, overload: try another relay, back off from this one. */
        TRANSIENT,
        /** Policy violation, bad request, authentication: retrying this relay will not help. */
        TERMINAL,
        /** We closed it ourselves. */
        LOCAL
    }

    /**
     * Checks for nulls.
     *
     * @param code the WebSocket close code; 1006 when the connection dropped without a close frame
     * @param reason the reason text or the error, in words
     * @param kind whether trying again (elsewhere) makes sense
     */
    public CloseInfo {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Classifies a close code received from a peer: 1000, 1001, 1005, 1006, 1009 (our own limit),
     * 1011-1015 and unknown codes are transient; 1002, 1003, 1007, 1008, 1010 and 4000-4999
     * (application codes) are terminal.
     *
     * @param code   the close code
     * @param reason the reason
     * @return the close info
     */
    public static CloseInfo fromPeer(int code, String reason) {
        Kind kind = switch (code) {
            case 1002, 1003, 1007, 1008, 1010 -> Kind.TERMINAL;
            default -> code >= 4000 && code <= 4999 ? Kind.TERMINAL : Kind.TRANSIENT;
        };
        return new CloseInfo(code, reason, kind);
    }
}
