package io.solconnect.relay.core;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayException;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code RelayClient.connected(timeout)} and {@code awaitConnected(timeout)} on a simulated fleet. */
class AwaitConnectedTest {

    private final VirtualScheduler vs = new VirtualScheduler();
    private final SimNetwork net = new SimNetwork(vs);
    private final SimRelay relay = net.relay("ws://127.0.0.1:9601/");

    @Test
    void completesOnTheFirstConnectedAndAtOnceWhenAlreadyConnected() {
        Client c = Clients.client(net, vs, Clients.config(net).build(), 1);
        CompletableFuture<Result<Result.Done>> before = c.manager.connected(Duration.ofMinutes(1)).toCompletableFuture();
        assertFalse(before.isDone(), "not started yet");
        assertTrue(c.manager.start().isOk());
        vs.advance(Duration.ofMillis(50));
        assertEquals(Result.ok(), before.getNow(null));
        assertEquals(Result.ok(), c.manager.connected(Duration.ofMinutes(1)).toCompletableFuture().getNow(null));
        c.manager.stop();
    }

    @Test
    void stoppingFirstCompletesWithClosed() {
        relay.down = true;
        Client c = Clients.client(net, vs, Clients.config(net).build(), 2);
        assertTrue(c.manager.start().isOk());
        CompletableFuture<Result<Result.Done>> waiting = c.manager.connected(Duration.ofMinutes(1)).toCompletableFuture();
        vs.advance(Duration.ofMillis(200));
        assertFalse(waiting.isDone(), "no relay is up");
        c.manager.stop();
        vs.advance(Duration.ofMillis(10));
        assertEquals(ErrorCode.CLOSED, waiting.getNow(null).failure().orElseThrow().code());
    }

    @Test
    void aTimeoutIsAResultAndOrElseThrowMakesItARelayException() {
        relay.down = true;
        Client c = Clients.client(net, vs, Clients.config(net).build(), 3);
        assertTrue(c.manager.start().isOk());
        Result<Result.Done> r = c.manager.awaitConnected(Duration.ofMillis(30)); // real time: the JDK's delayer
        assertEquals(ErrorCode.TIMEOUT, r.failure().orElseThrow().code());
        RelayException e = assertThrows(RelayException.class, r::orElseThrow);
        assertEquals(ErrorCode.TIMEOUT, e.code());
        assertThrows(IllegalArgumentException.class, () -> c.manager.connected(Duration.ZERO));
        c.manager.stop();
    }
}
