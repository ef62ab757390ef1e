package io.solconnect.relay.core.internal.pool;

import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.RelayDiscovery;
import java.time.Duration;
import java.util.List;

/**
 * A discovery source serving a list held in memory: the configuration's relays when a client is
 * built without any discovery source. {@link #replace} changes the list (run-time reconfiguration);
 * the pool sees it at the next refresh. Thread-safe.
 */
public final class FixedDiscovery implements RelayDiscovery {

    /** The name this source is reported under. */
    public static final String NAME = "config";
    /** How often the pool re-reads the list. */
    public static final Duration REFRESH = Duration.ofSeconds(1);

    private volatile List<RelayEndpoint> relays;

    /**
     * Creates the source.
     *
     * @param relays the relays, copied
     */
    public FixedDiscovery(List<RelayEndpoint> relays) {
        this.relays = List.copyOf(relays);
    }

    /**
     * Replaces the list.
     *
     * @param newRelays the relays, copied
     */
    public void replace(List<RelayEndpoint> newRelays) {
        this.relays = List.copyOf(newRelays);
    }

    @Override
    public Result<DiscoveryResult> discover() {
        return Result.ok(new DiscoveryResult(relays, REFRESH, List.of()));
    }

    @Override
    public void close() {
        // nothing to release
    }
}
