package io.solconnect.relay.examples.bench.scale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The re-homing of the sessions a relay crash touched, timed per session from the kill: to
 * {@code CONNECTED} with a primary on another relay (sessions whose primary it was), and to a new
 * standby open on another relay (every session that had a link there). The times come from the
 * sessions' own events ({@link Session#firstConnected()}, {@link Session#firstStandby()}), so the
 * harness's polling interval does not add to them. Immutable once built.
 *
 * @param primaryTimes per re-homed session whose primary was killed: crash to CONNECTED elsewhere
 * @param standbyTimes per session that had a link there: crash to its new standby
 */
record Rehoming(List<Duration> primaryTimes, List<Duration> standbyTimes) {

    Rehoming {
        primaryTimes = List.copyOf(primaryTimes);
        standbyTimes = List.copyOf(standbyTimes);
    }

    /**
     * Waits until every touched session is re-homed, or the timeout.
     *
     * @param lostPrimary sessions whose primary was on the killed relay
     * @param lostLink    sessions with any link on it
     * @param killedAt    when it was killed
     * @param timeout     the longest wait
     * @return the times of the sessions re-homed by then
     * @throws InterruptedException when interrupted
     */
    static Rehoming await(List<Session> lostPrimary, List<Session> lostLink, Instant killedAt, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<Session> waitPrimary = new ArrayList<>(lostPrimary);
        List<Session> waitStandby = new ArrayList<>(lostLink);
        List<Duration> p = new ArrayList<>();
        List<Duration> s = new ArrayList<>();
        while (!(waitPrimary.isEmpty() && waitStandby.isEmpty()) && System.nanoTime() < end) {
            // the relay is dead: the first CONNECTED after the crash is on another relay
            waitPrimary.removeIf(x -> x.firstConnected().map(at -> p.add(Duration.between(killedAt, at))).orElse(false));
            waitStandby.removeIf(x -> x.firstStandby().map(at -> s.add(Duration.between(killedAt, at))).orElse(false));
            Thread.sleep(20); // polling fields set on the listener threads
        }
        return new Rehoming(p, s);
    }
}
