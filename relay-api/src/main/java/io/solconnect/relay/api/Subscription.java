package io.solconnect.relay.api;

/** A registered listener; cancel it to stop receiving. Thread-safe; cancelling twice is harmless. */
public interface Subscription extends AutoCloseable {

    /** Removes the listener. Events already being delivered may still arrive once. */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
