package io.solconnect.relay.api;

import java.time.Duration;

/**
 * How fast a dead or silent link is noticed. {@code pingInterval + pingTimeout} bounds the time to
 * detect a relay that stops answering. Immutable and thread-safe.
 *
 * @param pingInterval   a link that received nothing for this long is pinged with a WebSocket
 *                       control frame; positive; default 150 ms
 * @param pingTimeout    a ping unanswered (and no other frame received) for this long marks the link
 *                       dead; positive; default 250 ms
 * @param connectTimeout limit on opening a connection (TCP, TLS and WebSocket handshake); positive;
 *                       default 5 s
 */
public record LivenessConfig(Duration pingInterval, Duration pingTimeout, Duration connectTimeout) {

    private static final LivenessConfig DEFAULTS =
            new LivenessConfig(Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofSeconds(5));

    /**
     * Validates every component.
     *
     * @param pingInterval   a link that received nothing for this long is pinged with a WebSocket control frame; positive; default 150 ms
     * @param pingTimeout    a ping unanswered (and no other frame received) for this long marks the link dead; positive; default 250 ms
     * @param connectTimeout limit on opening a connection (TCP, TLS and WebSocket handshake); positive; default 5 s 
     * @throws IllegalArgumentException whose message starts with the option's path, e.g.
     *                                  {@code "liveness.pingInterval must be positive, was PT0S"}
     * @throws NullPointerException     if a component is null
     */
    public LivenessConfig {
        ConfigChecks.positive("liveness.pingInterval", pingInterval);
        ConfigChecks.positive("liveness.pingTimeout", pingTimeout);
        ConfigChecks.positive("liveness.connectTimeout", connectTimeout);
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default liveness settings
     */
    public static LivenessConfig ofDefaults() {
        return DEFAULTS;
    }
}
