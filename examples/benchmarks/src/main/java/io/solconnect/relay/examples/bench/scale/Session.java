package io.solconnect.relay.examples.bench.scale;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.RelayRole;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.RelayManager;

import java.time.Instant;
import java.util.Optional;

/**
 * One client session of the benchmark: a {@link RelayManager} alone in its own room, and the
 * moments it last became {@code CONNECTED} and last opened a standby link (from its events), which
 * is how the re-homing after a relay crash is timed.
 *
 * <p>The event fields are written on the listener executor and read by the harness thread
 * (volatile); the rest is immutable.
 */
final class Session {

    private final RelayManager manager;
    private final String room;
    private volatile Instant connectedAt = Instant.MIN;
    private volatile Instant standbyAt = Instant.MIN;
    private volatile String lastDisconnect = "";

    Session(RelayManager manager, String room) {
        this.manager = manager;
        this.room = room;
        manager.subscribe(RelayEvent.StateChanged.class, e -> {
            if (e.to() == SessionState.CONNECTED) {
                connectedAt = e.at();
            }
        });
        manager.subscribe(RelayEvent.Disconnected.class, e -> lastDisconnect = e.closeCode() + " " + e.reason());
        manager.subscribe(RelayEvent.Connected.class, e -> {
            if (e.role() == RelayRole.STANDBY) {
                standbyAt = e.at();
            }
        });
    }

    RelayManager manager() {
        return manager;
    }

    String room() {
        return room;
    }

    ClientStatus status() {
        return manager.status();
    }

    /** @return the primary's relay id when connected with a primary and at least {@code standbys} standbys */
    Optional<String> readyPrimary(int standbys) {
        ClientStatus s = manager.status();
        return s.state() == SessionState.CONNECTED && s.standby().size() >= standbys ? s.primary() : Optional.empty();
    }

    /** @return when it last became CONNECTED ({@link Instant#MIN} before that) */
    Instant connectedAt() {
        return connectedAt;
    }

    /** @return the close code and reason of the last link that ended, empty before one did */
    String lastDisconnect() {
        return lastDisconnect;
    }

    /** @return when it last opened a standby link ({@link Instant#MIN} before that) */
    Instant standbyAt() {
        return standbyAt;
    }
}
