package io.solconnect.relay.examples.bench.scale;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.RelayRole;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.RelayManager;

import java.time.Instant;
import java.util.Optional;

/**
 * One client session of the benchmark: a {@link RelayManager} alone in its own room, and, from its
 * events, the first move to {@code CONNECTED} and the first standby opened after a relay crash
 * (how re-homing is timed), and a short trail of its latest state changes and link ends.
 *
 * <p>The event fields are written on the listener executor and read by the harness thread
 * (volatile); the rest is immutable.
 */
final class Session {

    private final RelayManager manager;
    private final String room;
    /** From when {@link #firstConnected()} and {@link #firstStandby()} count: the crash, once it happened. */
    private volatile Instant watchFrom = Instant.MAX;
    private volatile Instant firstConnected;
    private volatile Instant firstStandby;
    private volatile String lastDisconnect = "";
    /** The latest state changes and link ends, at most {@link #TRAIL}; guarded by itself. */
    private final java.util.ArrayDeque<Step> trail = new java.util.ArrayDeque<>();
    private static final int TRAIL = 16;

    /** One state change or link end, for the trail of a slow session. */
    record Step(Instant at, String what) {
    }

    Session(RelayManager manager, String room) {
        this.manager = manager;
        this.room = room;
        manager.subscribe(RelayEvent.StateChanged.class, e -> {
            if (e.to() == SessionState.CONNECTED && firstConnected == null && !e.at().isBefore(watchFrom)) {
                firstConnected = e.at();
            }
            step(e.at(), e.from() + "->" + e.to() + " (" + e.reason() + ")");
        });
        manager.subscribe(RelayEvent.Disconnected.class, e -> {
            lastDisconnect = e.closeCode() + " " + e.reason();
            step(e.at(), "link to " + e.relay() + " ended " + e.closeCode() + " " + e.reason());
        });
        manager.subscribe(RelayEvent.Connected.class, e -> {
            if (e.role() == RelayRole.STANDBY && firstStandby == null && !e.at().isBefore(watchFrom)) {
                firstStandby = e.at();
            }
        });
    }

    RelayManager manager() {
        return manager;
    }

    String room() {
        return room;
    }

    private void step(Instant at, String what) {
        synchronized (trail) {
            trail.addLast(new Step(at, what));
            if (trail.size() > TRAIL) {
                trail.removeFirst();
            }
        }
    }

    /**
     * @param since the time the offsets count from
     * @return the latest state changes and link ends at or after {@code since}, each with its offset in ms
     */
    String trailSince(Instant since) {
        synchronized (trail) {
            return trail.stream().filter(x -> !x.at().isBefore(since))
                    .map(x -> "+" + java.time.Duration.between(since, x.at()).toMillis() + "ms " + x.what())
                    .collect(java.util.stream.Collectors.joining("; "));
        }
    }

    ClientStatus status() {
        return manager.status();
    }

    /** @return the primary's relay id when connected with a primary and at least {@code standbys} standbys */
    Optional<String> readyPrimary(int standbys) {
        ClientStatus s = manager.status();
        return s.state() == SessionState.CONNECTED && s.standby().size() >= standbys ? s.primary() : Optional.empty();
    }

    /**
     * Times the events from {@code from} on: {@link #firstConnected()} and {@link #firstStandby()}
     * report the first ones at or after it. Call once, before the crash.
     *
     * @param from the crash
     */
    void watchFrom(Instant from) {
        watchFrom = from;
    }

    /** @return the first move to CONNECTED since {@link #watchFrom}, if any yet */
    Optional<Instant> firstConnected() {
        return Optional.ofNullable(firstConnected);
    }

    /** @return the first standby link opened since {@link #watchFrom}, if any yet */
    Optional<Instant> firstStandby() {
        return Optional.ofNullable(firstStandby);
    }

    /** @return the close code and reason of the last link that ended, empty before one did */
    String lastDisconnect() {
        return lastDisconnect;
    }

}
