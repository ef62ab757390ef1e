package io.solconnect.relay.core.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.solconnect.relay.core.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionMonitorTest {

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    /** A link in use all along (its active window outlasts every test). */
    final ConnectionMonitor mon = new ConnectionMonitor(clock, new ConnectionMonitor.Timing(Duration.ofMillis(150),
            Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMillis(250), Duration.ofSeconds(1)),
            new ConnectionMonitor.Actions() {
                @Override
                public boolean ping() {
                    log.add("ping@" + (long) clock.millis());
                    return true;
                }

                @Override
                public void dead(String reason) {
                    log.add("dead@" + (long) clock.millis());
                }
            });

    @Test
    void busyLinksWhoseLatencyIsMeasuredAreNeverPinged() {
        mon.start();
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(100));
            mon.alive();
            mon.rttMeasured(); // acks of timed messages
        }
        assertEquals(List.of(), log);
    }

    @Test
    void busyLinksWithoutRttSamplesGetOneLatencyProbePerSecondAndNeverDie() {
        mon.start();
        for (int i = 0; i < 35; i++) {
            clock.advance(Duration.ofMillis(100));
            mon.alive(); // frames keep coming, but nothing answers the probes
        }
        assertEquals(List.of("ping@1000", "ping@2000", "ping@3000"), log);
    }

    @Test
    void aSampleMovesTheNextLatencyProbe() {
        mon.start();
        for (int i = 0; i < 25; i++) {
            clock.advance(Duration.ofMillis(100));
            mon.alive();
            if (i == 11) {
                mon.rttMeasured(); // at 1200 ms: the probe at 1000 ms was answered by a pong
            }
        }
        assertEquals(List.of("ping@1000", "ping@2200"), log);
    }

    @Test
    void durationsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionMonitor.Timing(Duration.ofMillis(150),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionMonitor.Timing(Duration.ofMillis(150),
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(1)),
                "an idle link pinged more often than a busy one");
    }

    @Test
    void idleLinkIsPingedAndDeclaredDeadAfterIntervalPlusTimeout() {
        mon.start();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("ping@150", "dead@400"), log);
    }

    @Test
    void anyFrameAnswersAPing() {
        mon.start();
        clock.advance(Duration.ofMillis(200));
        mon.alive(); // a data frame, not a pong
        clock.advance(Duration.ofMillis(300));
        mon.stop();
        assertEquals(List.of("ping@150", "ping@400"), log);
    }

    @Test
    void whileALargeFrameIsExpectedAMissedPongIsNotDeathUntilThePatienceEnds() {
        mon.start();
        mon.patience(Duration.ofSeconds(2));
        clock.advance(Duration.ofMillis(1900));
        assertEquals(List.of("ping@150"), log, "a megabyte frame holds up the pong");
        clock.advance(Duration.ofMillis(200));
        assertEquals(List.of("ping@150", "dead@2000"), log, "but not forever");
    }

    @Test
    void whenTheLargeFrameArrivedTheUsualTimeoutCountsAgain() {
        mon.start();
        mon.patience(Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(1000));
        mon.alive(); // the frame
        mon.endPatience();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("ping@150", "ping@1150", "dead@1400"), log);
    }
}
