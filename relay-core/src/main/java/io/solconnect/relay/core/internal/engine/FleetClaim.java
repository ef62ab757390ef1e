package io.solconnect.relay.core.internal.engine;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one link's relay says about its fleet (relays that share one log and one sequence). The
 * first valid claim on the link (or the fleet the endpoint's configuration declares) holds; a
 * claim that is malformed or differs from it spoils the link's membership for the rest of the
 * link, so it is treated as a relay that shares nothing ("if in doubt, keep re-publication").
 * Confined to the engine loop.
 */
final class FleetClaim {

    /** What a claim did. */
    enum Outcome {
        /** The link is now known to be in the fleet. */
        CONFIRMED,
        /** Repeats what the link already said. */
        SAME,
        /** Not a valid fleet id: the link is no fleet member from now on. */
        INVALID,
        /** Differs from what the link (or its configuration) said: no fleet member from now on. */
        CHANGED
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** The tag prefix that declares a relay's fleet in its endpoint: {@code fleet=<id>}. */
    static final String TAG = "fleet=";

    private String fleet;
    private boolean spoiled;

    /** A link whose endpoint declares {@code configured} (null: none). */
    FleetClaim(String configured) {
        this.fleet = configured;
    }

    /** Whether {@code id} is a well-formed fleet id: 1..128 characters of {@code [A-Za-z0-9._:-]}. */
    static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Takes a claim the relay made in a frame. */
    Outcome claim(String id) {
        if (!valid(id)) {
            spoiled = true;
            return Outcome.INVALID;
        }
        if (fleet == null && !spoiled) {
            fleet = id;
            return Outcome.CONFIRMED;
        }
        if (id.equals(fleet) && !spoiled) {
            return Outcome.SAME;
        }
        spoiled = true;
        return Outcome.CHANGED;
    }

    /** The link is no fleet member from now on (its fleet was found not to share one log). */
    void spoil() {
        spoiled = true;
    }

    /** The fleet the link's relay belongs to, if it said so consistently (or was so configured). */
    Optional<String> fleet() {
        return spoiled ? Optional.empty() : Optional.ofNullable(fleet);
    }

    /** Whether both are links of one fleet. */
    static boolean same(Optional<String> a, Optional<String> b) {
        return a.isPresent() && a.equals(b);
    }
}
