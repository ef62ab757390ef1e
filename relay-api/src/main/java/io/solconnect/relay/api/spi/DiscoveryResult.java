package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.RelayEndpoint;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one discovery lookup found. Immutable and thread-safe.
 *
 * @param relays       the accepted relays (already validated by the source)
 * @param refreshAfter when to ask again (e.g. the smallest DNS TTL, or {@code Cache-Control: max-age});
 *                     positive
 * @param rejected     one line per entry that was refused, saying why (for events and logs);
 *                     bounded by the source
 */
public record DiscoveryResult(List<RelayEndpoint> relays, Duration refreshAfter, List<String> rejected) {

    /**
     * Checks and copies the components.
     *
     * @param relays the accepted relays (already validated by the source)
     * @param refreshAfter when to ask again (e.g. the smallest DNS TTL, or {@code Cache-Control: max-age}); positive
     * @param rejected one line per entry that was refused, saying why (for events and logs); bounded by the source
     */
    public DiscoveryResult {
        relays = List.copyOf(relays);
        rejected = List.copyOf(rejected);
        Objects.requireNonNull(refreshAfter, "refreshAfter");
        if (refreshAfter.isNegative() || refreshAfter.isZero()) {
            throw new IllegalArgumentException("refreshAfter must be positive, was " + refreshAfter);
        }
    }
}
