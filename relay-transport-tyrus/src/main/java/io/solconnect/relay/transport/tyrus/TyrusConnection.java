package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.RelayConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One connection: the Tyrus endpoint and the {@link RelayConnection} in one object. Thread-safe.
 *
 * <p>Listener calls are made under a per-connection lock, so they come one at a time and in order;
 * {@code onClosed} is made at most once and nothing follows it. The connect stage completes exactly
 * once, from whichever comes first: the open, a close or error during the handshake, the timeout,
 * or a failed connect.
 */
final class TyrusConnection extends Endpoint implements RelayConnection {

    private static final Logger LOG = LoggerFactory.getLogger(TyrusConnection.class);
    private static final int MAX_PENDING_PINGS = 64;
    private static final int ABNORMAL = 1006;
    private static final int TOO_BIG = 1009;

    private final RelayEndpoint endpoint;
    private final ConnectionListener listener;
    private final Scheduler scheduler;
    private final int maxMessageBytes;
    /** Largest inbound frame: a resume reply may be larger than a message (maxResumeBytes). */
    private final int maxInboundBytes;
    private final List<String> offeredSubprotocols;
    private final Consumer<TyrusConnection> onEnd;
    private final CompletableFuture<Result<RelayConnection>> connectStage = new CompletableFuture<>();
    private final Object listenerLock = new Object();
    private final Map<Long, Long> pendingPings = new ConcurrentHashMap<>();
    private final AtomicLong pingIds = new AtomicLong();

    private volatile Session session;
    /** The checked address this connection goes to, once resolved; for error messages. */
    private volatile java.net.InetAddress target;
    private volatile AbortableClientContainer.AbortableWriter writer;
    /** Set when we start the close, so that Tyrus' echo of it is reported as ours. */
    private volatile CloseInfo localClose;
    private boolean ended; // guarded by listenerLock

    TyrusConnection(RelayEndpoint endpoint, ConnectionListener listener, Scheduler scheduler, int maxMessageBytes,
                    int maxInboundBytes, List<String> offeredSubprotocols, Consumer<TyrusConnection> onEnd) {
        this.endpoint = endpoint;
        this.listener = listener;
        this.scheduler = scheduler;
        this.maxMessageBytes = maxMessageBytes;
        this.maxInboundBytes = maxInboundBytes;
        this.offeredSubprotocols = offeredSubprotocols;
        this.onEnd = onEnd;
    }

    CompletionStage<Result<RelayConnection>> connectStage() {
        return connectStage;
    }

    void target(java.net.InetAddress address) {
        this.target = address;
    }

    /** {@code " (address a.b.c.d)"} once the host was resolved, else empty. */
    String targetText() {
        java.net.InetAddress a = target;
        return a == null ? "" : " (address " + a.getHostAddress() + ")";
    }

    void attachWriter(AbortableClientContainer.AbortableWriter w) {
        this.writer = w;
    }

    /** Completes the connect stage with an error, if it is not complete; tears down a late open. */
    void connectFailed(ErrorCode code, String message) {
        if (connectStage.complete(Result.err(code, message))) {
            onEnd.accept(this);
            Session s = session;
            if (s != null) {
                closeQuietly(s, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "connect abandoned"));
            }
        }
    }

    // ---- Tyrus endpoint callbacks (Tyrus threads)

    @Override
    public void onOpen(Session s, EndpointConfig config) {
        this.session = s;
        String negotiated = s.getNegotiatedSubprotocol() == null ? "" : s.getNegotiatedSubprotocol();
        boolean subprotocolOk = offeredSubprotocols.isEmpty() ? negotiated.isEmpty() : offeredSubprotocols.contains(negotiated);
        if (!subprotocolOk) {
            String msg = endpoint.id() + ": server chose subprotocol '" + negotiated + "' but "
                    + (offeredSubprotocols.isEmpty() ? "none was offered" : "the client offered " + offeredSubprotocols);
            localClose = new CloseInfo(1002, msg, CloseInfo.Kind.LOCAL);
            connectFailed(ErrorCode.CONNECT_FAILED, msg);
            closeQuietly(s, new CloseReason(CloseReason.CloseCodes.PROTOCOL_ERROR, "unexpected subprotocol"));
            return;
        }
        s.setMaxTextMessageBufferSize(maxInboundBytes);
        s.setMaxBinaryMessageBufferSize(maxMessageBytes);
        s.addMessageHandler(String.class, this::onTextFrame);
        s.addMessageHandler(PongMessage.class, this::onPongFrame);
        s.addMessageHandler(ByteBuffer.class, b -> LOG.debug("{}: ignored a binary frame of {} bytes", endpoint.id(), b.remaining()));
        if (!connectStage.complete(Result.ok(this))) {
            // timed out or transport closed meanwhile: nobody owns this connection
            closeQuietly(s, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "connect abandoned"));
        }
    }

    @Override
    public void onClose(Session s, CloseReason reason) {
        int code = reason.getCloseCode().getCode();
        String text = reason.getReasonPhrase() == null ? "" : reason.getReasonPhrase();
        if (connectStage.complete(Result.err(ErrorCode.CONNECT_FAILED,
                endpoint.id() + ": closed during the handshake with " + code + (text.isEmpty() ? "" : " " + text)))) {
            onEnd.accept(this);
            return;
        }
        CloseInfo ours = localClose;
        if (ours != null) {
            end(ours);
        } else if (code == 1011 && text.contains("Buffer overflow")) {
            // Tyrus' read buffer overflowed: a frame far over our limit
            end(CloseInfo.fromPeer(TOO_BIG, "inbound message larger than " + maxInboundBytes + " bytes"));
        } else {
            end(CloseInfo.fromPeer(code, text.isEmpty() ? "closed by peer" : text));
        }
    }

    @Override
    public void onError(Session s, Throwable error) {
        String msg = TyrusTransport.describe(error);
        LOG.debug("{}: transport error: {}", endpoint.id(), msg);
        if (connectStage.complete(Result.err(ErrorCode.CONNECT_FAILED, endpoint.id() + ": " + msg))) {
            onEnd.accept(this);
            closeQuietly(s, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "error"));
            return;
        }
        if (!s.isOpen()) {
            end(CloseInfo.fromPeer(ABNORMAL, msg));
        }
    }

    private void onTextFrame(String text) {
        if (text.length() > maxInboundBytes / 3 && Rooms.utf8Length(text) > maxInboundBytes) {
            tooBig();
            return;
        }
        synchronized (listenerLock) {
            if (!ended) {
                try {
                    listener.onText(text);
                } catch (RuntimeException e) {
                    LOG.warn("{}: listener failed in onText", endpoint.id(), e);
                }
            }
        }
    }

    private void tooBig() {
        CloseInfo info = CloseInfo.fromPeer(TOO_BIG, "inbound message larger than " + maxInboundBytes + " bytes");
        localClose = info;
        Session s = session;
        if (s != null) {
            closeQuietly(s, new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message too big"));
        }
        end(info);
    }

    private void onPongFrame(PongMessage pong) {
        ByteBuffer data = pong.getApplicationData();
        if (data.remaining() != Long.BYTES) {
            return; // not ours (unsolicited pongs are allowed by RFC 6455)
        }
        Long sentAt = pendingPings.remove(data.getLong(data.position()));
        if (sentAt == null) {
            return;
        }
        Duration rtt = Duration.ofNanos(Math.max(0, scheduler.nanoTime() - sentAt));
        synchronized (listenerLock) {
            if (!ended) {
                try {
                    listener.onPong(rtt);
                } catch (RuntimeException e) {
                    LOG.warn("{}: listener failed in onPong", endpoint.id(), e);
                }
            }
        }
    }

    private void end(CloseInfo info) {
        synchronized (listenerLock) {
            if (ended) {
                return;
            }
            ended = true;
        }
        onEnd.accept(this);
        pendingPings.clear();
        try {
            listener.onClosed(info);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed in onClosed", endpoint.id(), e);
        }
    }

    // ---- RelayConnection (any thread)

    @Override
    public RelayEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen() && localClose == null && connectStage.isDone() && !endedNow();
    }

    private boolean endedNow() {
        synchronized (listenerLock) {
            return ended;
        }
    }

    @Override
    public CompletionStage<Result<Result.Done>> send(String text) {
        Session s = session;
        if (s == null || !isOpen()) {
            return CompletableFuture.completedFuture(Result.err(ErrorCode.CLOSED, endpoint.id() + ": connection is not open"));
        }
        if (text.length() > maxMessageBytes / 3 && Rooms.utf8Length(text) > maxMessageBytes) {
            return CompletableFuture.completedFuture(Result.err(ErrorCode.TOO_LARGE,
                    "frame of " + Rooms.utf8Length(text) + " bytes is over the limit of " + maxMessageBytes));
        }
        CompletableFuture<Result<Result.Done>> done = new CompletableFuture<>();
        try {
            s.getAsyncRemote().sendText(text, r -> done.complete(r.isOK() ? Result.ok()
                    : Result.err(ErrorCode.IO, endpoint.id() + ": write failed: " + TyrusTransport.describe(r.getException()))));
        } catch (RuntimeException e) {
            done.complete(Result.err(ErrorCode.IO, endpoint.id() + ": write failed: " + TyrusTransport.describe(e)));
        }
        return done;
    }

    @Override
    public Result<Result.Done> ping() {
        Session s = session;
        if (s == null || !isOpen()) {
            return Result.err(ErrorCode.CLOSED, endpoint.id() + ": connection is not open");
        }
        long id = pingIds.incrementAndGet();
        if (pendingPings.size() >= MAX_PENDING_PINGS) {
            pendingPings.clear(); // a peer that never answers must not grow the map
        }
        pendingPings.put(id, scheduler.nanoTime());
        try {
            s.getAsyncRemote().sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, id));
            return Result.ok();
        } catch (IOException | RuntimeException e) {
            pendingPings.remove(id);
            return Result.err(ErrorCode.IO, endpoint.id() + ": ping failed: " + TyrusTransport.describe(e));
        }
    }

    @Override
    public void close(int code, String reason) {
        String r = truncate(reason == null ? "" : reason);
        CloseInfo info = new CloseInfo(code, r.isEmpty() ? "closed locally" : r, CloseInfo.Kind.LOCAL);
        localClose = info;
        Session s = session;
        if (s != null && s.isOpen()) {
            CloseReason.CloseCode cc;
            try {
                cc = CloseReason.CloseCodes.getCloseCode(code);
            } catch (IllegalArgumentException e) {
                cc = CloseReason.CloseCodes.NORMAL_CLOSURE;
            }
            closeQuietly(s, new CloseReason(cc, r));
        }
        if (connectStage.isDone()) {
            end(info);
        }
    }

    @Override
    public void abort() {
        CloseInfo info = new CloseInfo(ABNORMAL, "aborted", CloseInfo.Kind.LOCAL);
        localClose = info;
        end(info);
        AbortableClientContainer.AbortableWriter w = writer;
        try {
            if (w != null) {
                w.abort();
            } else if (session != null) {
                closeQuietly(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "aborted"));
            }
        } catch (IOException e) {
            LOG.debug("{}: abort: {}", endpoint.id(), e.toString());
        }
    }

    private void closeQuietly(Session s, CloseReason reason) {
        try {
            s.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: close: {}", endpoint.id(), e.toString());
        }
    }

    private static String truncate(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 123) {
            return reason;
        }
        String s = reason;
        while (s.getBytes(StandardCharsets.UTF_8).length > 123) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return "TyrusConnection[" + endpoint.id() + "]";
    }
}
