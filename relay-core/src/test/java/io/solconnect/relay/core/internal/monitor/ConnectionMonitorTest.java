package io.solconnect.relay.core.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solconnect.relay.core.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionMonitorTest {

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    final ConnectionMonitor mon = new ConnectionMonitor(clock, Duration.ofMillis(150), Duration.ofMillis(250),
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
    void busyLinksAreNeverPinged() {
        mon.start();
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(100));
            mon.alive();
        }
        assertEquals(List.of(), log);
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
