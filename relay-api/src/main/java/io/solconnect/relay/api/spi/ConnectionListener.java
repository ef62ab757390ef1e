package io.solconnect.relay.api.spi;

import java.time.Duration;

/**
 * Receives what happens on one connection. The transport calls it from its own threads, one call
 * at a time per connection, in the order things happened. Implementations must not block.
 */
public interface ConnectionListener {

    /**
     * A text frame arrived.
     *
     * @param frame the text, at most {@link io.solconnect.relay.api.OutboxConfig#maxResumeBytes()} UTF-8 bytes
     */
    void onText(String frame);

    /**
     * A pong arrived for a ping sent by {@link RelayConnection#ping()}.
     *
     * @param rtt the round-trip time measured by the transport with the scheduler's nano time
     */
    void onPong(Duration rtt);

    /**
     * The connection ended: closed by either side, failed, or aborted. Called exactly once, and
     * nothing is called after it.
     *
     * @param close the close code, reason and whether another relay should be tried
     */
    void onClosed(CloseInfo close);
}
