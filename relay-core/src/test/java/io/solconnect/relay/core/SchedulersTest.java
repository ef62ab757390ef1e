package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SchedulersTest {

    @Test
    void systemSchedulerRunsTasksOnDaemonThreadsAndSurvivesAThrowingTask() throws Exception {
        try (Schedulers.CloseableScheduler s = Schedulers.system()) {
            CountDownLatch ran = new CountDownLatch(2);
            AtomicBoolean daemon = new AtomicBoolean();
            s.execute(() -> {
                throw new IllegalStateException("logged and swallowed");
            });
            s.execute(() -> {
                daemon.set(Thread.currentThread().isDaemon());
                ran.countDown();
            });
            long t0 = s.nanoTime();
            s.schedule(Duration.ofMillis(20), ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertTrue(s.nanoTime() - t0 >= Duration.ofMillis(20).toNanos());
            assertTrue(daemon.get());
            AtomicBoolean cancelledRan = new AtomicBoolean();
            Scheduler.Cancellable c = s.schedule(Duration.ofHours(1), () -> cancelledRan.set(true));
            assertTrue(c.cancel());
            assertFalse(c.cancel());
        }
        assertThrows(IllegalArgumentException.class, () -> Schedulers.system(0));
    }
}
