package io.solconnect.relay.api;

import java.time.Duration;

/**
 * How fast a dead or silent link is noticed. {@code pingInterval + pingTimeout} bounds the time to
 * detect a relay that stops answering. Immutable and thread-safe.
 *
 * @param pingInterval   a link that received nothing for this long is pinged with a WebSocket
 *                       control frame; at least 10 ms; default 150 ms
 * @param pingTimeout    a ping unanswered (and no other frame received) for this long marks the link
 *                       dead; at least 10 ms; default 250 ms
 * @param connectTimeout limit on opening a connection (TCP, TLS and WebSocket handshake); at least 10 ms;
 *                       default 5 s
 */
public record LivenessConfig(Duration pingInterval, Duration pingTimeout, Duration connectTimeout) {

    /**
     * The shortest {@code pingInterval}, {@code pingTimeout} and {@code connectTimeout} accepted
     * from any source (builder, file, settings page): 10 ms. Shorter timers would only spin.
     */
    public static final Duration MIN_TIMER = Duration.ofMillis(10);

    private static final LivenessConfig DEFAULTS =
            new LivenessConfig(Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofSeconds(5));

    /**
     * Validates every component.
     *
     * @param pingInterval   a link that received nothing for this long is pinged with a WebSocket control frame; at least 10 ms; default 150 ms
     * @param pingTimeout    a ping unanswered (and no other frame received) for this long marks the link dead; at least 10 ms; default 250 ms
     * @param connectTimeout limit on opening a connection (TCP, TLS and WebSocket handshake); at least 10 ms; default 5 s 
     * @throws IllegalArgumentException whose message starts with the option's path, e.g.
     *                                  {@code "liveness.pingInterval must be at least 10 ms, was PT0.001S"}
     * @throws NullPointerException     if a component is null
     */
    public LivenessConfig {
        ConfigChecks.atLeast("liveness.pingInterval", pingInterval, MIN_TIMER);
        ConfigChecks.atLeast("liveness.pingTimeout", pingTimeout, MIN_TIMER);
        ConfigChecks.atLeast("liveness.connectTimeout", connectTimeout, MIN_TIMER);
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
