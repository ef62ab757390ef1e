package io.solconnect.relay.examples.bench.scale;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.SessionState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The re-homing of the sessions a relay crash touched, timed per session from the kill: to
 * {@code CONNECTED} with a primary on another relay (sessions whose primary it was), and to a new
 * standby open on another relay (every session that had a link there). The times come from the
 * sessions' own events ({@link Session#connectedAt()}, {@link Session#standbyAt()}), so the
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
     * @param victim      the killed relay's id
     * @param killedAt    when it was killed
     * @param timeout     the longest wait
     * @return the times of the sessions re-homed by then
     * @throws InterruptedException when interrupted
     */
    static Rehoming await(List<Session> lostPrimary, List<Session> lostLink, String victim, Instant killedAt,
                          Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<Session> waitPrimary = new ArrayList<>(lostPrimary);
        List<Session> waitStandby = new ArrayList<>(lostLink);
        List<Duration> p = new ArrayList<>();
        List<Duration> s = new ArrayList<>();
        while (!(waitPrimary.isEmpty() && waitStandby.isEmpty()) && System.nanoTime() < end) {
            waitPrimary.removeIf(x -> {
                ClientStatus st = x.status();
                boolean done = st.state() == SessionState.CONNECTED && st.primary().filter(r -> !r.equals(victim)).isPresent()
                        && x.connectedAt().isAfter(killedAt);
                if (done) {
                    p.add(Duration.between(killedAt, x.connectedAt()));
                }
                return done;
            });
            waitStandby.removeIf(x -> {
                ClientStatus st = x.status();
                boolean done = !st.standby().isEmpty() && !st.standby().contains(victim) && x.standbyAt().isAfter(killedAt);
                if (done) {
                    s.add(Duration.between(killedAt, x.standbyAt()));
                }
                return done;
            });
            Thread.sleep(20); // polling the sessions' state, set on other threads
        }
        return new Rehoming(p, s);
    }
}
