package io.solconnect.relay.core.sim;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An in-process network of simulated relays in virtual time: the other side of the engine under
 * test. Every frame, pong, connect completion and close is a scheduler task after
 * {@link #latency}, so callbacks never run inside the engine's own calls, as with a real socket.
 */
public final class SimNetwork {

    final Scheduler scheduler;
    /** One-way latency of every frame. */
    public Duration latency = Duration.ofMillis(1);
    /** How long an unreachable (blackholed) relay makes a connect wait before it times out. */
    public Duration connectTimeout = Duration.ofSeconds(5);
    private final Map<String, SimRelay> relays = new LinkedHashMap<>();
    /** Every client-side network interface is down (local outage). */
    public boolean localDown;

    public SimNetwork(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public SimRelay relay(String url) {
        return relay(url, false);
    }

    public SimRelay relay(String url, boolean legacy) {
        RelayEndpoint e = RelayEndpoint.of(url);
        SimRelay r = new SimRelay(this, e, legacy);
        relays.put(e.id(), r);
        return r;
    }

    /** The relay with this endpoint id; throws when there is none. */
    public SimRelay relayById(String id) {
        SimRelay r = relays.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no simulated relay " + id);
        }
        return r;
    }

    public List<SimRelay> relays() {
        return new ArrayList<>(relays.values());
    }

    /** One client's side of the network: its own interface can go down without the others'. */
    public static final class Port {
        /** This client's network is down: its connects fail and its frames are lost both ways. */
        public boolean down;
        /**
         * Connects that complete after this much time instead of the handshake latency;
         * {@code null} for the normal handshake. A connect whose relay is fine then succeeds late.
         */
        public Duration connectDelay;
        /** Connects that never complete at all (neither success nor failure). */
        public boolean connectHangs;
    }

    /** A transport for one client. */
    public Transport transport() {
        return transport(new Port());
    }

    /** A transport for one client whose network interface is {@code port}. */
    public Transport transport(Port port) {
        return new Transport() {
            private final List<SimRelay.Conn> mine = new ArrayList<>();

            @Override
            public CompletionStage<Result<RelayConnection>> connect(RelayEndpoint endpoint, ConnectionListener listener) {
                CompletableFuture<Result<RelayConnection>> f = new CompletableFuture<>();
                SimRelay r = relays.get(endpoint.id());
                if (port.connectHangs) {
                    return f;
                }
                if (r == null || r.down || localDown || port.down) {
                    if (r != null) {
                        r.refusedAt.add(scheduler.nanoTime());
                    }
                    scheduler.schedule(latency.multipliedBy(2), () -> f.complete(
                            Result.err(ErrorCode.CONNECT_FAILED, "connection refused by " + endpoint.id())));
                    return f;
                }
                if (r.blackhole) {
                    scheduler.schedule(connectTimeout, () -> f.complete(
                            Result.err(ErrorCode.TIMEOUT, "connect to " + endpoint.id() + " timed out")));
                    return f;
                }
                Duration handshake = port.connectDelay != null ? port.connectDelay
                        : (r.latency != null ? r.latency : latency).multipliedBy(2);
                scheduler.schedule(handshake, () -> {
                    if (r.down || r.blackhole || localDown || port.down) {
                        f.complete(Result.err(ErrorCode.CONNECT_FAILED, "connection reset by " + endpoint.id()));
                        return;
                    }
                    SimRelay.Conn c = r.accept(listener, port);
                    mine.add(c);
                    f.complete(Result.ok(c));
                });
                return f;
            }

            @Override
            public void close() {
                for (SimRelay.Conn c : List.copyOf(mine)) {
                    c.close(1001, "transport closed");
                }
            }
        };
    }
}
