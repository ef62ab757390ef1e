package io.solconnect.relay.examples.server;

/** One connected client as the relay logic sees it. Implementations are thread-safe. */
interface Peer {

    /**
     * Queues a text frame to the client; never blocks, never throws. Frames sent from one thread
     * arrive in the order sent.
     *
     * @param text the frame
     */
    void send(String text);
}
