package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.InboundMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the session knows about relay fleets: relays that report one fleet id share one log, so
 * their sequence numbers mean the same on every member. Keeps, per fleet and room, the last
 * sequence seen through any of its relays (a move within the fleet resumes after it instead of
 * from 0), takes the claims links make (with a rate-limited warning for bad ones) and gives the
 * sequence a link resumes from.
 *
 * <p><b>Trust.</b> A fleet id is a claim, not a proof. Relays of one log number each message
 * alike; the session checks that on every sequenced message it hears through a fleet's links, and
 * the first message two of them number differently exposes relays that claim one fleet but keep
 * separate logs: the fleet is distrusted for the rest of the session and the engine repairs what
 * trusting it skipped (re-publication, catch-up, a resume from 0). Confined to the engine loop.
 */
final class Fleets {

    private static final Logger log = LoggerFactory.getLogger(Fleets.class);

    /** At most one warning about bad claims per this many nanoseconds (one minute). */
    static final long WARN_EVERY_NANOS = 60_000_000_000L;

    /** Sequences remembered per fleet and room to check that members agree on them. */
    static final int CHECKED_SEQUENCES = 4096;

    private final Map<String, Map<String, Long>> sequences = new HashMap<>();
    /** Per fleet and room: which message each recent sequence numbered (a key of sender and payload). */
    private final Map<String, Map<String, LinkedHashMap<Long, String>>> numbered = new HashMap<>();
    /** Fleets whose relays were caught numbering messages differently: claims of them are ignored. */
    private final Set<String> distrusted = new HashSet<>();
    private boolean anyConfirmed;
    private long lastWarnNanos = Long.MIN_VALUE;
    private int suppressed;

    /** A link's relay claimed {@code id}; a bad or changed claim is ignored and warned about. */
    FleetClaim.Outcome claim(Link link, String id, long now) {
        if (distrusted.contains(id)) {
            link.leaveFleet();
            link.relay().fleet(null);
            return FleetClaim.Outcome.CHANGED;
        }
        FleetClaim.Outcome o = link.claimFleet(id);
        switch (o) {
            case CONFIRMED -> {
                link.relay().fleet(id);
                anyConfirmed = true;
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

    /**
     * Whether {@code link}'s relay may be in a fleet: it is expected to be (configured, or said so
     * before), or another relay of this session said it is in one. Only then does a new standby's
     * catch-up wait for its relay to say (sessions with relays that share nothing never wait).
     */
    boolean mayBeInFleet(Link link) {
        return link.relay().fleet().isPresent() || anyConfirmed;
    }

    /**
     * Notes that a link of {@code fleet} numbered {@code message} {@code seq} in {@code room}.
     * Relays of one log give every message one number; returns false when this one was numbered
     * differently by another member (the relays claim one fleet but keep separate logs).
     */
    boolean saw(String fleet, String room, long seq, InboundMessage message) {
        String key = message.sender() + '\u0000' + message.payload().length() + ':' + message.payload().hashCode();
        LinkedHashMap<Long, String> recent = numbered.computeIfAbsent(fleet, k -> new HashMap<>())
                .computeIfAbsent(room, k -> new LinkedHashMap<>());
        String before = recent.putIfAbsent(seq, key);
        if (before != null && !before.equals(key)) {
            return false;
        }
        if (recent.size() > CHECKED_SEQUENCES) {
            recent.remove(recent.keySet().iterator().next());
        }
        sequences.computeIfAbsent(fleet, k -> new HashMap<>()).merge(room, seq, Math::max);
        return true;
    }

    /**
     * Relays claiming {@code fleet} were caught keeping separate logs: from now on nothing that
     * claims it is trusted in this session, and what was learned about it is forgotten.
     */
    void distrust(String fleet, long now) {
        distrusted.add(fleet);
        sequences.remove(fleet);
        numbered.remove(fleet);
        warn(now, "relays claiming fleet '" + fleet + "' numbered one sequence differently: they do not share a log;"
                + " treating them as sharing nothing (re-publishing and resuming from 0)");
    }

    /** Whether relays claiming {@code fleet} were caught keeping separate logs. */
    boolean distrusted(String fleet) {
        return distrusted.contains(fleet);
    }

    /**
     * The sequence a new link resumes {@code room} after: the relay's own last sequence, or (less
     * one, so that the answer repeats a message the fleet numbered) the fleet's when the relay is
     * known (configured, or said so on an earlier link) to be in a fleet that has seen more. A link that resumes by the fleet's sequence is marked, and asks again
     * from its own sequence if its relay does not confirm the fleet before answering.
     */
    long resumeFrom(Link link, String room) {
        long own = link.relay().lastSequence(room);
        Optional<String> fleet = link.relay().fleet();
        if (fleet.isEmpty() || distrusted.contains(fleet.get())) {
            return own;
        }
        long shared = sequences.getOrDefault(fleet.get(), Map.of()).getOrDefault(room, 0L);
        if (shared <= own) {
            return own;
        }
        link.resumedInFleet(fleet.get());
        // one message of overlap: the relay's answer numbers the last message the fleet was seen
        // to number, which checks the relay's claim (see saw)
        return shared - 1;
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
