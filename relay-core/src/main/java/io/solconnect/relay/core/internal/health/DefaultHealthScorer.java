package io.solconnect.relay.core.internal.health;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.HealthScorer;

/**
 * The {@code default} health score, in [0, 1]:
 *
 * <pre>
 * score = 0.4 * latency + 0.3 * errors + 0.2 * stability + 0.1 * load
 * latency   = 1 / (1 + rttEwmaMs / 100)                 (10 ms → 0.91, 100 ms → 0.5, 300 ms → 0.25)
 * errors    = max(0, 1 - 2 * errorRate)                  (0 % → 1, 25 % → 0.5, 50 % or more → 0)
 * stability = 1 / (1 + disconnectsInWindow)             (no drop → 1, one drop → 0.5)
 * load      = 1 - min(1, reportedLoad)                   (relay-reported load)
 *           | 1 - activeConnections / maxConnections     (when the relay reports none)
 * </pre>
 *
 * Every factor that has not been measured counts {@value #UNKNOWN}, never 1: a relay about which
 * nothing is known scores 0.5, below any relay measured as good and above the default failover
 * threshold of 0.3. Stability is known once the relay has been connected or has dropped a
 * connection in the window. Pure, stateless and thread-safe.
 */
final class DefaultHealthScorer implements HealthScorer {

    /** The value of an unmeasured factor. */
    static final double UNKNOWN = 0.5;

    @Override
    public double score(RelayEndpoint endpoint, QualityMetrics m) {
        double latency = m.rttEwmaMillis().isPresent() ? 1.0 / (1.0 + Math.max(0, m.rttEwmaMillis().getAsDouble()) / 100.0)
                : UNKNOWN;
        double errors = m.errorRate().isPresent() ? Math.max(0, 1 - 2 * m.errorRate().getAsDouble()) : UNKNOWN;
        boolean stabilityKnown = m.disconnectsInWindow() > 0 || !m.connectedFor().isZero();
        double stability = stabilityKnown ? 1.0 / (1 + m.disconnectsInWindow()) : UNKNOWN;
        double load;
        if (m.reportedLoad().isPresent()) {
            load = 1 - Math.min(1, m.reportedLoad().getAsDouble());
        } else if (m.activeConnections() > 0) {
            load = 1 - Math.min(1, (double) m.activeConnections() / endpoint.maxConnections());
        } else {
            load = UNKNOWN;
        }
        double s = 0.4 * latency + 0.3 * errors + 0.2 * stability + 0.1 * load;
        return Double.isFinite(s) ? Math.max(0, Math.min(1, s)) : 0;
    }
}
