package io.solconnect.relay.examples.server;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server side of one client connection. Not an API: public only because Tyrus calls endpoint
 * methods reflectively; the package is exported to Tyrus alone. One instance per session.
 */
public final class RelaySocket extends Endpoint implements Peer {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySocket.class);

    private final SyncRelay relay;
    private final Set<RelaySocket> open;
    private final int hardLimitBytes;
    private final AtomicBoolean shuttingDown;
    private volatile Session session;

    RelaySocket(SyncRelay relay, Set<RelaySocket> open, int hardLimitBytes, AtomicBoolean shuttingDown) {
        this.relay = relay;
        this.open = open;
        this.hardLimitBytes = hardLimitBytes;
        this.shuttingDown = shuttingDown;
    }

    /**
     * Registers the text handler.
     *
     * @param s      the session
     * @param config its configuration
     */
    @Override
    public void onOpen(Session s, EndpointConfig config) {
        this.session = s;
        // Frames up to the hard limit are read and answered with an error when over the relay's
        // limit; only frames beyond it (which would have to be buffered whole) close with 1009.
        s.setMaxTextMessageBufferSize(hardLimitBytes);
        s.setMaxIdleTimeout(0);
        s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> relay.onFrame(this, text));
        open.add(this);
        if (shuttingDown.get()) {
            closeGracefully(); // opened while a graceful shutdown was walking the sessions
        }
    }

    /**
     * Forgets the session.
     *
     * @param s      the session
     * @param reason why it closed
     */
    @Override
    public void onClose(Session s, CloseReason reason) {
        open.remove(this);
        relay.onLeave(this);
    }

    /**
     * Logs the error; Tyrus closes the session after it.
     *
     * @param s     the session
     * @param error what went wrong
     */
    @Override
    public void onError(Session s, Throwable error) {
        LOG.debug("session {}: {}", s.getId(), error.toString());
    }

    @Override
    public void send(String text) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        try {
            s.getAsyncRemote().sendText(text, r -> {
                if (!r.isOK()) {
                    LOG.debug("session {}: send failed: {}", s.getId(), r.getException().toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("session {}: send failed: {}", s.getId(), e.toString());
        }
    }

    void closeGracefully() {
        Session s = session;
        if (s != null && s.isOpen()) {
            try {
                s.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "relay shutting down"));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("session {}: close failed: {}", s.getId(), e.toString());
            }
        }
    }
}
