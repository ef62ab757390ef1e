package io.solconnect.relay.transport.tyrus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The validated settings of one transport (see {@link TyrusTransportProvider}).
 *
 * @param workerThreads   shared Grizzly worker threads
 * @param connectThreads  threads that run blocking connects of this transport
 * @param idleShutdown    how long the shared container outlives its last connection
 * @param sslContext      trust for {@code wss}; empty for the JDK default
 * @param subprotocols    subprotocols offered, in order; empty for none
 */
record TyrusSettings(int workerThreads, int connectThreads, Duration idleShutdown,
                     Optional<SSLContext> sslContext, List<String> subprotocols) {

    TyrusSettings {
        subprotocols = List.copyOf(subprotocols);
    }
}
