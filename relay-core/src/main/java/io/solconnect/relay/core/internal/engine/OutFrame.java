package io.solconnect.relay.core.internal.engine;

/**
 * An encoded publish frame, the message id a relay acknowledges it by, and its UTF-8 length
 * (computed once, when it was encoded).
 */
record OutFrame(String id, String text, int bytes) {
}
