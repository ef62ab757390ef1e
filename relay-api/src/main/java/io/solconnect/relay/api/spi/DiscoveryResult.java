package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.RelayEndpoint;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one discovery lookup found. Immutable and thread-safe.
 *
 * <p>A source need not filter what it found: the engine checks every relay of every source
 * against one policy before using it (scheme, host name and address ranges under
 * {@code security.allowPrivateAddresses}, region syntax, the limits below, duplicates), refuses the rest one
 * by one with a {@link io.solconnect.relay.api.RelayEvent.DiscoveryFailed} event, and keeps the
 * source's last good list when nothing acceptable is left. A source that resolves host names
 * reports the addresses in {@link #addresses()}, and the engine refuses a relay whose host resolved
 * into a refused range.
 *
 * @param relays       the relays found, in the source's order of preference
 * @param refreshAfter when to ask again (e.g. the smallest DNS TTL, or {@code Cache-Control: max-age});
 *                     positive
 * @param rejected     one line per entry the source refused itself, saying why (for events and
 *                     logs); the engine shows at most a few of them, made printable
 * @param addresses    for relays whose host the source resolved, by {@link RelayEndpoint#id()}: the
 *                     addresses it resolved to; relays not in the map were not resolved
 */
public record DiscoveryResult(List<RelayEndpoint> relays, Duration refreshAfter, List<String> rejected,
                              Map<String, List<InetAddress>> addresses) {

    /** The most relays the engine takes from one source per lookup; the rest are refused. */
    public static final int MAX_RELAYS = 10_000;

    /** The largest {@link RelayEndpoint#maxConnections()} the engine accepts from a source. */
    public static final int MAX_CONNECTIONS = 10_000_000;

    /**
     * Checks and copies the components.
     *
     * @param relays the relays found, in the source's order of preference
     * @param refreshAfter when to ask again; positive
     * @param rejected one line per entry the source refused itself, saying why
     * @param addresses the addresses the source resolved, by relay id
     */
    public DiscoveryResult {
        relays = List.copyOf(relays);
        rejected = List.copyOf(rejected);
        Map<String, List<InetAddress>> copy = new LinkedHashMap<>();
        addresses.forEach((id, list) -> copy.put(Objects.requireNonNull(id, "relay id"), List.copyOf(list)));
        addresses = Map.copyOf(copy);
        Objects.requireNonNull(refreshAfter, "refreshAfter");
        if (refreshAfter.isNegative() || refreshAfter.isZero()) {
            throw new IllegalArgumentException("refreshAfter must be positive, was " + refreshAfter);
        }
    }

    /**
     * A result whose host names were not resolved by the source.
     *
     * @param relays       the relays found
     * @param refreshAfter when to ask again; positive
     * @param rejected     one line per entry the source refused itself
     */
    public DiscoveryResult(List<RelayEndpoint> relays, Duration refreshAfter, List<String> rejected) {
        this(relays, refreshAfter, rejected, Map.of());
    }
}
