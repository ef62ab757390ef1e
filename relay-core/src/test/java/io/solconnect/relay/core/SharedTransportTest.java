package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.RendezvousBalancer;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Many clients on one transport ({@code Builder.sharedTransport}), as {@code bench scale} runs
 * thousands of sessions on one WebSocket container: stopping one client closes its own
 * connections and leaves the transport, and every other client's connections, alone. A client
 * given the transport with {@code transport(...)} owns it and closes it on stop, so the same
 * scene with that setter cuts the other client off (the bug the shared setter exists for).
 */
class SharedTransportTest {

    private final VirtualScheduler vs = new VirtualScheduler();
    private final SimNetwork net = new SimNetwork(vs);
    private final SimRelay relay = net.relay("ws://127.0.0.1:9501/");
    private final RelayConfig config = RelayConfig.custom().relays(java.util.List.of(relay.endpoint)).build();

    private RelayManager client(Transport t, boolean shared, long seed) {
        RelayManager.Builder b = RelayManager.builder(config).protocol(Protocols.create(false, config))
                .loadBalancer(new RendezvousBalancer()).store(new MemStore()).scheduler(vs).executor(vs::execute)
                .random(new Random(seed));
        return (shared ? b.sharedTransport(t) : b.transport(t)).build();
    }

    @Test
    void stoppingOneClientLeavesTheOthersOnASharedTransportConnected() {
        Transport t = net.transport();
        RelayManager a = client(t, true, 1);
        RelayManager b = client(t, true, 2);
        start(a, "room-a");
        start(b, "room-b");
        assertEquals(2, relay.connections());

        a.stop();
        vs.advance(Duration.ofSeconds(2));

        assertEquals(1, relay.connections(), "a's connection closed, b's kept");
        assertEquals(2, relay.acceptedAt.size(), "b's first connection was never cut (no reconnect)");
        assertEquals(SessionState.CONNECTED, b.status().state());
        CompletableFuture<?> sent = b.send("room-b", "still here").toCompletableFuture();
        vs.advance(Duration.ofMillis(50));
        assertTrue(sent.isDone() && ((io.solconnect.relay.api.Result<?>) sent.join()).isOk(), "b's send acknowledged");
        assertTrue(relay.payloads("room-b").contains("still here"), "the relay stored b's message");

        b.stop();
        vs.advance(Duration.ofSeconds(1));
        assertEquals(0, relay.connections(), "b's stop closed its own connection");
        // the owner closes the transport once the last client stopped
        t.close();
    }

    @Test
    void aClientThatOwnsTheTransportClosesItOnStop() {
        Transport t = net.transport();
        RelayManager a = client(t, false, 1);
        RelayManager b = client(t, true, 2);
        start(a, "room-a");
        start(b, "room-b");

        a.stop(); // closes the transport, b's connection with it
        vs.advance(Duration.ofSeconds(2));

        assertEquals(3, relay.acceptedAt.size(), "b's connection was cut and b had to connect again");
        b.stop();
    }

    @Test
    void aTransportIsSetOnce() {
        RelayManager.Builder b = RelayManager.builder(config).transport(net.transport());
        assertThrows(IllegalStateException.class, () -> b.sharedTransport(net.transport()));
        RelayManager.Builder c = RelayManager.builder(config).sharedTransport(net.transport());
        assertThrows(IllegalStateException.class, () -> c.transport(net.transport()));
    }

    private void start(RelayManager m, String room) {
        m.join(room);
        assertTrue(m.start().isOk());
        vs.advance(Duration.ofMillis(50));
        assertEquals(SessionState.CONNECTED, m.status().state());
    }
}
