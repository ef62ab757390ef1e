package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.RendezvousBalancer;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The ack tick (unacknowledged messages written again, every quarter ack timeout) runs only while
 * the outbox holds a message: an idle session has no such timer, which for thousands of sessions
 * in one process was thousands of wake-ups a second for nothing ({@code bench scale}). A message
 * left unacknowledged is still written again, and the tick stops once the outbox is empty.
 */
class IdleAckTickTest {

    /** Counts the timers scheduled with the ack tick's delay (a quarter of the 1.6 s ack timeout). */
    private static final class Counting implements Scheduler {
        final VirtualScheduler vs;
        final Duration watched;
        final AtomicInteger count = new AtomicInteger();

        Counting(VirtualScheduler vs, Duration watched) {
            this.vs = vs;
            this.watched = watched;
        }

        @Override
        public Instant now() {
            return vs.now();
        }

        @Override
        public long nanoTime() {
            return vs.nanoTime();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            if (delay.equals(watched)) {
                count.incrementAndGet();
            }
            return vs.schedule(delay, task);
        }

        @Override
        public void execute(Runnable task) {
            vs.execute(task);
        }
    }

    @Test
    void anIdleSessionHasNoAckTickAndAPendingMessageStillGetsWrittenAgain() {
        VirtualScheduler vs = new VirtualScheduler();
        SimNetwork net = new SimNetwork(vs);
        SimRelay relay = net.relay("ws://127.0.0.1:9601/");
        RelayConfig config = RelayConfig.custom().relays(List.of(relay.endpoint)).build();
        // default liveness: 150 + 250 ms detection, ack timeout 4 x 400 ms = 1.6 s, tick every 400 ms
        Counting sched = new Counting(vs, Duration.ofMillis(400));
        RelayManager m = RelayManager.builder(config).transport(net.transport()).protocol(Protocols.create(false, config))
                .loadBalancer(new RendezvousBalancer()).store(new MemStore()).scheduler(sched).executor(vs::execute)
                .random(new Random(3)).build();
        m.join("room");
        assertTrue(m.start().isOk());
        vs.advance(Duration.ofSeconds(1));
        assertEquals(SessionState.CONNECTED, m.status().state());

        sched.count.set(0);
        vs.advance(Duration.ofSeconds(10));
        assertEquals(0, sched.count.get(), "no ack tick while nothing waits for an acknowledgement");

        relay.dropAcks = true;
        CompletableFuture<Result<Delivery>> sent = m.send("room", "hello").toCompletableFuture();
        vs.advance(Duration.ofSeconds(3));
        assertTrue(sched.count.get() > 0, "a message waiting for its ack arms the tick");
        assertTrue(relay.payloads("room").stream().filter("hello"::equals).count() >= 1);
        int framesBefore = relay.framesReceived;
        vs.advance(Duration.ofSeconds(2));
        assertTrue(relay.framesReceived > framesBefore, "the unacknowledged message was written again");
        assertTrue(!sent.isDone());

        relay.dropAcks = false;
        vs.advance(Duration.ofSeconds(3));
        assertTrue(sent.isDone() && sent.join().isOk(), "acknowledged once the relay answers again");
        vs.advance(Duration.ofSeconds(1));
        sched.count.set(0);
        vs.advance(Duration.ofSeconds(10));
        assertEquals(0, sched.count.get(), "the tick stopped once the outbox was empty");
        m.stop();
    }
}
