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
import java.util.concurrent.atomic.AtomicLong;

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
    private final long maxQueuedBytes;
    /** Bytes handed to Tyrus and not yet written to the socket (UTF-16 length x 3, an upper bound). */
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean cutOff = new AtomicBoolean();
    private volatile Session session;
    /** The {@code relay_info} frame sent first on every connection; empty for a relay of no fleet. */
    private final java.util.Optional<String> relayInfo;

    RelaySocket(SyncRelay relay, Set<RelaySocket> open, int hardLimitBytes, AtomicBoolean shuttingDown,
                long maxQueuedBytes, java.util.Optional<String> relayInfo) {
        this.relay = relay;
        this.relayInfo = relayInfo;
        this.open = open;
        this.hardLimitBytes = hardLimitBytes;
        this.shuttingDown = shuttingDown;
        this.maxQueuedBytes = maxQueuedBytes;
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
        relayInfo.ifPresent(this::send); // before anything else the client gets on this connection
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

    /**
     * Queues a frame; when the frames queued and not yet written pass {@code maxQueuedBytes} (the
     * client reads too slowly), the frame is dropped and the connection cut off with close code
     * 1008, once.
     */
    @Override
    public void send(String text) {
        Session s = session;
        if (s == null || !s.isOpen() || cutOff.get()) {
            return;
        }
        long size = 3L * text.length();
        if (queued.addAndGet(size) > maxQueuedBytes) {
            queued.addAndGet(-size);
            cutOff(s);
            return;
        }
        try {
            s.getAsyncRemote().sendText(text, r -> {
                queued.addAndGet(-size);
                if (!r.isOK()) {
                    LOG.debug("session {}: send failed: {}", s.getId(), r.getException().toString());
                }
            });
        } catch (RuntimeException e) {
            queued.addAndGet(-size);
            LOG.debug("session {}: send failed: {}", s.getId(), e.toString());
        }
    }

    private void cutOff(Session s) {
        if (!cutOff.compareAndSet(false, true)) {
            return;
        }
        LOG.info("session {}: over {} bytes queued for sending; closing a client that reads too slowly",
                s.getId(), maxQueuedBytes);
        // Closed from another thread: send runs under a room's monitor, and the close's onClose
        // takes the monitors of the peer's other rooms. Nothing more is sent meanwhile (cutOff).
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                s.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "reading too slowly: over "
                        + maxQueuedBytes + " bytes queued"));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("session {}: close failed: {}", s.getId(), e.toString());
            }
        });
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
