package io.solconnect.relay.core.internal.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the session knows about relay fleets: relays that report one fleet id share one log, so
 * their sequence numbers mean the same on every member. Keeps, per fleet and room, the last
 * sequence seen through any of its relays (a move within the fleet resumes after it instead of
 * from 0), takes the claims links make (with a rate-limited warning for bad ones) and gives the
 * sequence a link resumes from. Confined to the engine loop.
 */
final class Fleets {

    private static final Logger log = LoggerFactory.getLogger(Fleets.class);

    /** At most one warning about bad claims per this many nanoseconds (one minute). */
    static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final Map<String, Map<String, Long>> sequences = new HashMap<>();
    private long lastWarnNanos = Long.MIN_VALUE;
    private int suppressed;

    /** A link's relay claimed {@code id}; a bad or changed claim is ignored and warned about. */
    FleetClaim.Outcome claim(Link link, String id, long now) {
        FleetClaim.Outcome o = link.claimFleet(id);
        switch (o) {
            case CONFIRMED -> {
                link.relay().fleet(id);
                log.debug("relay {} is in fleet {}", link.id(), id);
            }
            case INVALID, CHANGED -> warn(now, "relay " + link.id() + (o == FleetClaim.Outcome.INVALID
                    ? " claimed a malformed fleet id" : " claimed fleet '" + id + "' after another one")
                    + "; treated as sharing nothing on this connection");
            default -> { }
        }
        if (o == FleetClaim.Outcome.INVALID || o == FleetClaim.Outcome.CHANGED) {
            link.relay().fleet(null);
        }
        return o;
    }

    /** Notes a sequence seen in {@code room} on a link of {@code fleet}. */
    void saw(String fleet, String room, long seq) {
        sequences.computeIfAbsent(fleet, k -> new HashMap<>()).merge(room, seq, Math::max);
    }

    /**
     * The sequence a new link resumes {@code room} after: the relay's own last sequence, or the
     * fleet's when the relay is known (configured, or said so on an earlier link) to be in a fleet
     * that has seen more. A link that resumes by the fleet's sequence is marked, and asks again
     * from its own sequence if its relay does not confirm the fleet before answering.
     */
    long resumeFrom(Link link, String room) {
        long own = link.relay().lastSequence(room);
        Optional<String> fleet = link.relay().fleet();
        if (fleet.isEmpty()) {
            return own;
        }
        long shared = sequences.getOrDefault(fleet.get(), Map.of()).getOrDefault(room, 0L);
        if (shared <= own) {
            return own;
        }
        link.resumedInFleet(fleet.get());
        return shared;
    }

    private void warn(long now, String what) {
        if (lastWarnNanos != Long.MIN_VALUE && now - lastWarnNanos < WARN_EVERY_NANOS) {
            suppressed++;
            return;
        }
        log.warn("{}{}", what, suppressed > 0 ? " (" + suppressed + " more such claims not logged)" : "");
        lastWarnNanos = now;
        suppressed = 0;
    }
}
