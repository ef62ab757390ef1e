package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.Schedulers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineLoopTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final EngineLoop loop = new EngineLoop("test", vs);

    @Test
    void postedTasksNeverRunOnTheCallerAndRunInOrder() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            loop.post(() -> ran.add(n));
        }
        assertTrue(ran.isEmpty(), "posting only queues");
        vs.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
    }

    @Test
    void runExecutesAtOnceWhenTheLoopIsFreeAndInPlaceFromInsideIt() {
        List<String> ran = new CopyOnWriteArrayList<>();
        loop.run(() -> {
            ran.add("outer");
            assertTrue(loop.inLoop());
            loop.run(() -> ran.add("nested"));
            ran.add("after");
        });
        assertEquals(List.of("outer", "nested", "after"), ran);
        assertFalse(loop.inLoop(), "the turn is given back");
        assertEquals(7, (int) loop.call(() -> 7));
    }

    @Test
    void callPassesOnWhatTheTaskThrowsAndTheLoopGoesOn() {
        assertThrows(IllegalStateException.class, () -> loop.call(() -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals("ok", loop.call(() -> "ok"));
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheTasksBehindIt() {
        AtomicInteger ran = new AtomicInteger();
        loop.post(() -> {
            throw new IllegalStateException("boom");
        });
        loop.post(ran::incrementAndGet);
        vs.runUntilIdle();
        assertEquals(1, ran.get());
    }

    @Test
    void scheduledTimersRunInTheLoopsTurn() {
        AtomicBoolean inLoop = new AtomicBoolean();
        loop.schedule(Duration.ofMillis(10), () -> inLoop.set(loop.inLoop()));
        vs.advance(Duration.ofMillis(9));
        assertFalse(inLoop.get());
        vs.advance(Duration.ofMillis(1));
        assertTrue(inLoop.get());
    }

    @Test
    void whileAnotherThreadIsInTheLoopTasksQueueAndCallsWaitTheirTurn() throws Exception {
        var real = Schedulers.system(2);
        try {
            EngineLoop rl = new EngineLoop("real", real);
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            Thread holder = new Thread(() -> rl.run(() -> {
                order.add("holder");
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                order.add("holder done");
            }));
            holder.start();
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            rl.run(() -> order.add("timer")); // queued, not run on this thread, never blocks
            assertEquals(List.of("holder"), order);
            Thread caller = new Thread(() -> order.add("call " + rl.call(() -> "answer")));
            caller.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (rl.queued() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the caller's task waits behind the timer's
            }
            assertEquals(2, rl.queued());
            release.countDown();
            caller.join(10_000);
            holder.join(10_000);
            assertEquals(List.of("holder", "holder done", "timer", "call answer"), order);
            assertTrue(rl.call(rl::inLoop), "a call's task runs in the loop");
        } finally {
            real.close();
        }
    }
}
