package io.solconnect.relay.metrics.micrometer;

import io.micrometer.core.instrument.Clock;
import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayClient;

import java.time.Duration;

/**
 * One {@link ClientStatus} shared by every meter read within {@code maxAge}: a scrape reads a
 * few dozen gauges and should take one snapshot, not one per gauge, and see values that agree.
 * Thread-safe (synchronised; a snapshot is cheap to take, so holding the lock while taking it is
 * fine).
 */
final class SnapshotCache {

    private final RelayClient client;
    private final Clock clock;
    private final long maxAgeNanos;
    private ClientStatus last;
    private long takenAt;

    SnapshotCache(RelayClient client, Clock clock, Duration maxAge) {
        this.client = client;
        this.clock = clock;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The snapshot, taken now unless the last one is younger than the maximum age. */
    synchronized ClientStatus get() {
        long now = clock.monotonicTime();
        if (last == null || now - takenAt >= maxAgeNanos) {
            last = client.status();
            takenAt = now;
        }
        return last;
    }
}
