package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;

import java.util.concurrent.CompletionStage;

/**
 * Opens WebSocket connections. Thread-safe.
 *
 * <p>Contract for every implementation: TLS ({@code wss}) verifies the certificate chain and the
 * host name; redirects are not followed; the connect stage always completes (success, error or
 * timeout after {@link io.solconnect.relay.api.LivenessConfig#connectTimeout()}), also when the
 * server closes or fails during the handshake; an inbound message larger than
 * {@link io.solconnect.relay.api.OutboxConfig#maxResumeBytes()} closes the connection with code
 * 1009 (smaller ones reach the listener: a resume reply may be larger than
 * {@link io.solconnect.relay.api.OutboxConfig#maxMessageBytes()}, and the protocol's codec refuses
 * any other frame over that as malformed).
 *
 * <p>Connect-time address check (every implementation): the transport resolves the relay's host
 * with {@link RelayPolicy#resolverFor} of its {@link PluginContext#relayPolicy()}, checks every
 * address with {@link RelayPolicy#refusedAddress} and, when any is refused, fails the connect with
 * {@link io.solconnect.relay.api.ErrorCode#FORBIDDEN} before opening a socket; otherwise it
 * connects to a checked address and never resolves the name again. Connect errors name their
 * cause in the message: {@code unknown host}, {@code connection refused}, {@code timed out},
 * {@code TLS handshake failed}, {@code refused by the address policy}.
 */
public interface Transport extends AutoCloseable {

    /**
     * Opens a connection.
     *
     * @param endpoint the relay
     * @param listener receives frames, pongs and the close; called on transport threads, one
     *                 callback at a time per connection, and must not block
     * @return the open connection, or {@link io.solconnect.relay.api.ErrorCode#CONNECT_FAILED} /
     *         {@link io.solconnect.relay.api.ErrorCode#TIMEOUT}; never completes exceptionally
     */
    CompletionStage<Result<RelayConnection>> connect(RelayEndpoint endpoint, ConnectionListener listener);

    /** Closes every connection and releases threads. Idempotent. */
    @Override
    void close();
}
