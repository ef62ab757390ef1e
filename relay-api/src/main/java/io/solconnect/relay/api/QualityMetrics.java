package io.solconnect.relay.api;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A snapshot of one relay's measured connection quality over the monitor's sliding window.
 * Immutable and thread-safe. Values that have not been measured are empty, never zero: a scorer
 * must not treat "unknown" as "perfect".
 *
 * @param relay                  the relay id
 * @param rttEwmaMillis          exponentially weighted moving average of control-frame ping RTT, ms
 * @param rttP50Millis           median RTT over the window, ms
 * @param rttP99Millis           99th percentile RTT over the window, ms
 * @param inboundPerSecond       frames received per second over the window
 * @param outboundPerSecond      frames sent per second over the window
 * @param inboundBytesPerSecond  bytes received per second over the window
 * @param outboundBytesPerSecond bytes sent per second over the window
 * @param errorRate              failed operations (errors, malformed frames, missed pongs, failed
 *                               connects) over all operations in the window, in [0, 1]
 * @param disconnectsInWindow    connections to this relay that ended in the window
 * @param connectedFor           how long the current connection has been open, zero when none
 * @param activeConnections      this client's open connections to the relay (0..1 plus standby)
 * @param reportedLoad           relay-reported load in [0, 1] (connections over capacity) when known
 * @param window                 the length of the sliding window
 */
public record QualityMetrics(String relay, OptionalDouble rttEwmaMillis, OptionalDouble rttP50Millis,
                             OptionalDouble rttP99Millis, double inboundPerSecond, double outboundPerSecond,
                             double inboundBytesPerSecond, double outboundBytesPerSecond, OptionalDouble errorRate,
                             int disconnectsInWindow, Duration connectedFor, int activeConnections,
                             OptionalDouble reportedLoad, Duration window) {

    /**
     * Validates the components.
     *
     * @param relay the relay id
     * @param rttEwmaMillis exponentially weighted moving average of control-frame ping RTT, ms
     * @param rttP50Millis median RTT over the window, ms
     * @param rttP99Millis 99th percentile RTT over the window, ms
     * @param inboundPerSecond frames received per second over the window
     * @param outboundPerSecond frames sent per second over the window
     * @param inboundBytesPerSecond bytes received per second over the window
     * @param outboundBytesPerSecond bytes sent per second over the window
     * @param errorRate failed operations (errors, malformed frames, missed pongs, failed connects) over all operations in the window, in [0, 1]
     * @param disconnectsInWindow connections to this relay that ended in the window
     * @param connectedFor how long the current connection has been open, zero when none
     * @param activeConnections this client's open connections to the relay (0..1 plus standby)
     * @param reportedLoad relay-reported load in [0, 1] (connections over capacity) when known
     * @param window the length of the sliding window
     * @throws IllegalArgumentException naming a negative or out-of-range value
     */
    public QualityMetrics {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(rttEwmaMillis, "rttEwmaMillis");
        Objects.requireNonNull(rttP50Millis, "rttP50Millis");
        Objects.requireNonNull(rttP99Millis, "rttP99Millis");
        Objects.requireNonNull(errorRate, "errorRate");
        Objects.requireNonNull(connectedFor, "connectedFor");
        Objects.requireNonNull(reportedLoad, "reportedLoad");
        Objects.requireNonNull(window, "window");
        if (errorRate.isPresent() && !(errorRate.getAsDouble() >= 0 && errorRate.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("errorRate must be in [0, 1], was " + errorRate.getAsDouble());
        }
        if (reportedLoad.isPresent() && !(reportedLoad.getAsDouble() >= 0)) {
            throw new IllegalArgumentException("reportedLoad must be >= 0, was " + reportedLoad.getAsDouble());
        }
        if (disconnectsInWindow < 0 || activeConnections < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /**
     * Metrics of a relay about which nothing is known yet.
     *
     * @param relay  the relay id
     * @param window the monitor's window
     * @return all-unknown metrics
     */
    public static QualityMetrics unknown(String relay, Duration window) {
        return new QualityMetrics(relay, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), 0, 0,
                0, 0, OptionalDouble.empty(), 0, Duration.ZERO, 0, OptionalDouble.empty(), window);
    }
}
