package io.solconnect.relay.core.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.Subscription;
import io.solconnect.relay.core.VirtualScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventBusTest {

    static RelayEvent.Offline offline(String why) {
        return new RelayEvent.Offline(Instant.EPOCH, why);
    }

    @Test
    void typedSubscriptionsAndCancel() {
        VirtualScheduler vs = new VirtualScheduler();
        EventBus bus = new EventBus(new SerialLane("t", vs::execute, 100));
        List<RelayEvent> all = new ArrayList<>();
        List<RelayEvent.Offline> offlines = new ArrayList<>();
        Subscription s1 = bus.subscribe(RelayEvent.class, all::add);
        bus.subscribe(RelayEvent.Offline.class, offlines::add);
        bus.publish(RelayEvent.Offline.class, () -> offline("a"));
        bus.publish(RelayEvent.StateChanged.class, () -> new RelayEvent.StateChanged(Instant.EPOCH,
                SessionState.CONNECTING, SessionState.CONNECTED, "x"));
        vs.runUntilIdle();
        assertEquals(2, all.size());
        assertEquals(1, offlines.size());
        s1.cancel();
        s1.cancel();
        bus.publish(RelayEvent.Offline.class, () -> offline("b"));
        vs.runUntilIdle();
        assertEquals(2, all.size());
        assertEquals(2, offlines.size());
    }

    @Test
    void eventsAreBuiltOnlyWhenSomeoneListens() {
        VirtualScheduler vs = new VirtualScheduler();
        EventBus bus = new EventBus(new SerialLane("t", vs::execute, 100));
        AtomicInteger built = new AtomicInteger();
        bus.subscribe(RelayEvent.Online.class, e -> { });
        bus.publish(RelayEvent.Offline.class, () -> {
            built.incrementAndGet();
            return offline("x");
        });
        assertEquals(0, built.get());
    }

    @Test
    void aThrowingListenerDoesNotStopOthers() {
        VirtualScheduler vs = new VirtualScheduler();
        EventBus bus = new EventBus(new SerialLane("t", vs::execute, 100));
        List<String> got = new ArrayList<>();
        bus.subscribe(RelayEvent.Offline.class, e -> {
            throw new IllegalStateException("boom");
        });
        bus.subscribe(RelayEvent.Offline.class, e -> got.add(e.reason()));
        bus.publish(RelayEvent.Offline.class, () -> offline("1"));
        bus.publish(RelayEvent.Offline.class, () -> offline("2"));
        vs.runUntilIdle();
        assertEquals(List.of("1", "2"), got);
    }

    @Test
    void aSlowListenerNeverBlocksThePublisher() throws Exception {
        ExecutorService listenerThread = Executors.newSingleThreadExecutor();
        try {
            EventBus bus = new EventBus(new SerialLane("t", listenerThread, 1000));
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch allSeen = new CountDownLatch(500);
            bus.subscribe(RelayEvent.Offline.class, e -> {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                allSeen.countDown();
            });
            // the publisher (an I/O thread in the engine) gets through 500 events while the listener is stuck
            for (int i = 0; i < 500; i++) {
                bus.publish(RelayEvent.Offline.class, () -> offline("x"));
            }
            assertEquals(500, allSeen.getCount());
            release.countDown();
            assertTrue(allSeen.await(10, TimeUnit.SECONDS));
        } finally {
            listenerThread.shutdownNow();
        }
    }

    @Test
    void aFullLaneDropsTheOldestAndCountsThem() {
        VirtualScheduler vs = new VirtualScheduler();
        SerialLane lane = new SerialLane("t", vs::execute, 3);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            lane.submit(() -> ran.add(n));
        }
        vs.runUntilIdle();
        assertEquals(List.of(2, 3, 4), ran);
        assertEquals(2, lane.dropped());
    }
}
