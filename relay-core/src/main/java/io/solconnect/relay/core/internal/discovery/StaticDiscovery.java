package io.solconnect.relay.core.internal.discovery;

import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.RelayDiscovery;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code static} discovery source: the relays listed in the configuration. It is the one
 * source the engine trusts with loopback and private addresses, since the operator wrote them.
 * {@link #replace} swaps the list when the configuration changes at run time (the client then asks
 * the pool to read it at once). Thread-safe.
 */
public final class StaticDiscovery implements RelayDiscovery {

    private final Duration refresh;
    private volatile List<RelayEndpoint> relays;

    /**
     * Creates the source.
     *
     * @param relays  the configured relays, copied
     * @param refresh how often the pool reads the list again; positive
     */
    public StaticDiscovery(List<RelayEndpoint> relays, Duration refresh) {
        this.relays = List.copyOf(relays);
        this.refresh = Objects.requireNonNull(refresh, "refresh");
    }

    /**
     * Replaces the list (run-time reconfiguration).
     *
     * @param newRelays the relays, copied
     */
    public void replace(List<RelayEndpoint> newRelays) {
        this.relays = List.copyOf(newRelays);
    }

    @Override
    public Result<DiscoveryResult> discover() {
        return Result.ok(new DiscoveryResult(relays, refresh, List.of()));
    }

    @Override
    public void close() {
        // nothing held
    }
}
