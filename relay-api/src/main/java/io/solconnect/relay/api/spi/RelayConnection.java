package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;

import java.util.concurrent.CompletionStage;

/** One open WebSocket connection to a relay. Thread-safe: sends from several threads are serialised. */
public interface RelayConnection {

    /**
     * The relay this connection goes to.
     *
     * @return the endpoint
     */
    RelayEndpoint endpoint();

    /**
     * Whether the connection is open.
     *
     * @return false once closed, failed or aborted
     */
    boolean isOpen();

    /**
     * Sends a text frame.
     *
     * @param text the frame
     * @return completes when the frame was handed to the socket, or with an error if the connection
     *         is closed or the write failed; never completes exceptionally
     */
    CompletionStage<Result<Result.Done>> send(String text);

    /**
     * Sends a WebSocket control-frame ping. The RTT is reported to
     * {@link ConnectionListener#onPong(java.time.Duration)} when the pong arrives.
     *
     * @return ok when the ping was written, or an error if the connection is not open
     */
    Result<Result.Done> ping();

    /**
     * Starts a graceful close; {@link ConnectionListener#onClosed(CloseInfo)} follows.
     *
     * @param code   the WebSocket close code (1000 normal, 1001 going away)
     * @param reason a short reason, at most 123 bytes
     */
    void close(int code, String reason);

    /**
     * Drops the connection at once, without a close handshake (used when a link is silent and a
     * graceful close would wait for a dead peer). {@link ConnectionListener#onClosed(CloseInfo)}
     * follows with code 1006.
     */
    void abort();
}
