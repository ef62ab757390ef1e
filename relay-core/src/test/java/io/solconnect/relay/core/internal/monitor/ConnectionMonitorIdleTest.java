package io.solconnect.relay.core.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.core.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probe schedule of a link that goes idle: ping interval 150 ms while in use, 5 s once idle
 * (2 s after its last traffic), ping timeout 250 ms; the relay answers pings after 10 ms while
 * {@code answering}.
 */
class ConnectionMonitorIdleTest {

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    boolean answering = true;
    ConnectionMonitor mon;

    {
        mon = new ConnectionMonitor(clock, new ConnectionMonitor.Timing(Duration.ofMillis(150), Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(1)),
                new ConnectionMonitor.Actions() {
                    @Override
                    public boolean ping() {
                        log.add("ping@" + (long) clock.millis());
                        if (answering) {
                            clock.schedule(Duration.ofMillis(10), () -> mon.alive());
                        }
                        return true;
                    }

                    @Override
                    public void dead(String reason) {
                        log.add("dead@" + (long) clock.millis());
                    }
                });
    }

    private List<String> after(long ms) {
        return log.stream().filter(e -> Long.parseLong(e.substring(e.indexOf('@') + 1)) > ms).toList();
    }

    @Test
    void anIdleLinkIsPingedEveryIdlePingIntervalOnceItsActiveWindowEnds() {
        mon.start();
        clock.advance(Duration.ofSeconds(20));
        // in use (the first 2 s): a ping at each look, every ping timeout (150, 400, ... 1900 ms)
        assertEquals(8, log.size() - after(2000).size(), String.valueOf(log));
        // idle: 5 s after the last pong (1910 ms), then 5 s after each pong
        assertEquals(List.of("ping@6910", "ping@11920", "ping@16930"), after(2000));
        assertFalse(mon.active());
    }

    @Test
    void aLinkWithTrafficIsPingedAtThePingInterval() {
        mon.start();
        for (int s = 0; s < 10; s++) {
            clock.advance(Duration.ofSeconds(1));
            mon.traffic(); // a message written every second, answered at once (no frame otherwise)
        }
        List<String> late = after(5000);
        assertEquals(20, late.size(), String.valueOf(late)); // one every 250 ms from 5 s to 10 s
        assertTrue(mon.active());
    }

    @Test
    void aWriteOnAStaleIdleLinkPingsAtOnceAndASilentOneIsDeadWithinThePingTimeout() {
        mon.start();
        clock.advance(Duration.ofSeconds(8)); // idle; last pong at 6920 ms
        answering = false; // the relay went silent
        mon.traffic();
        clock.runUntilIdle();
        assertEquals(List.of("ping@8000"), after(7000), "the write re-checks the link at once");
        clock.advance(Duration.ofMillis(300));
        assertEquals(List.of("ping@8000", "dead@8250"), after(7000));
    }

    @Test
    void aWriteOnALinkHeardFromLatelyMovesItsNextPingToThePingInterval() {
        mon.start();
        clock.advance(Duration.ofMillis(6940)); // idle; last pong at 6920 ms, next idle ping due at 11920
        answering = false;
        mon.traffic();
        clock.advance(Duration.ofMillis(500));
        assertEquals(List.of("ping@7070", "dead@7320"), after(6910),
                "heard from 20 ms before the write: pinged 150 ms after that, not 5 s");
    }

    @Test
    void aWriteWhileAPingIsOutstandingWaitsForThatPing() {
        mon.start();
        clock.advance(Duration.ofMillis(6909)); // the idle ping goes at 6910
        answering = false;
        clock.advance(Duration.ofMillis(101));
        mon.traffic(); // no second ping: the one outstanding decides
        clock.advance(Duration.ofMillis(300));
        assertEquals(List.of("ping@6910", "dead@7160"), after(6000));
    }

    @Test
    void idleLinksGetNoLatencyProbes() {
        mon.start();
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(100));
            mon.alive(); // frames keep coming (no message traffic), none of them an RTT sample
        }
        assertEquals(List.of("ping@1000"), log, "one latency probe while in use, none once idle");
    }
}
