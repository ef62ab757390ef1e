package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A link's fleet claim: the first valid one holds; a bad or changed one spoils it for the link. */
class FleetClaimTest {

    @Test
    void theFirstValidClaimHoldsAndRepeatsChangeNothing() {
        FleetClaim c = new FleetClaim(null);
        assertEquals(Optional.empty(), c.fleet());
        assertEquals(FleetClaim.Outcome.CONFIRMED, c.claim("f1"));
        assertEquals(FleetClaim.Outcome.SAME, c.claim("f1"));
        assertEquals(Optional.of("f1"), c.fleet());
    }

    @Test
    void aChangedOrMalformedClaimSpoilsTheLinkForGood() {
        FleetClaim c = new FleetClaim(null);
        c.claim("f1");
        assertEquals(FleetClaim.Outcome.CHANGED, c.claim("f2"));
        assertEquals(Optional.empty(), c.fleet());
        assertEquals(FleetClaim.Outcome.CHANGED, c.claim("f1"), "going back does not restore it");
        assertEquals(Optional.empty(), c.fleet());

        FleetClaim bad = new FleetClaim(null);
        assertEquals(FleetClaim.Outcome.INVALID, bad.claim("a b"));
        assertEquals(FleetClaim.Outcome.CHANGED, bad.claim("f1"));
        assertEquals(Optional.empty(), bad.fleet());
    }

    @Test
    void aConfiguredFleetHoldsUntilTheRelaySaysOtherwise() {
        FleetClaim c = new FleetClaim("f1");
        assertEquals(Optional.of("f1"), c.fleet());
        assertEquals(FleetClaim.Outcome.SAME, c.claim("f1"));
        assertEquals(FleetClaim.Outcome.CHANGED, new FleetClaim("f1").claim("f2"));
    }

    @Test
    void idsAreOneTo128SafeCharacters() {
        assertTrue(FleetClaim.valid("A-z_0.9:x"));
        assertTrue(FleetClaim.valid("x".repeat(128)));
        assertFalse(FleetClaim.valid("x".repeat(129)));
        assertFalse(FleetClaim.valid(""));
        assertFalse(FleetClaim.valid("f/1"));
        assertFalse(FleetClaim.valid("f\u00e91"));
        assertFalse(FleetClaim.valid(null));
        assertFalse(FleetClaim.same(Optional.empty(), Optional.empty()), "no fleet is not one fleet");
        assertTrue(FleetClaim.same(Optional.of("f1"), Optional.of("f1")));
        assertFalse(FleetClaim.same(Optional.of("f1"), Optional.of("f2")));
    }
}
