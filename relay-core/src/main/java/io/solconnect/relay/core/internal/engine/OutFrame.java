package io.solconnect.relay.core.internal.engine;

/**
 * An encoded publish frame, the message id a relay acknowledges it by (for a joined frame, the id
 * of its last message), the room of its message(s) (empty when unknown: such a frame is never
 * joined with others) and its UTF-8 length (computed once, when it was encoded).
 */
record OutFrame(String id, String room, String text, int bytes) {

    /** A frame of no known room. */
    OutFrame(String id, String text, int bytes) {
        this(id, "", text, bytes);
    }
}
