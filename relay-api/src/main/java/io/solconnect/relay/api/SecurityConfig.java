package io.solconnect.relay.api;

import java.util.Set;

/**
 * Which relay addresses are acceptable. Immutable and thread-safe.
 *
 * @param allowedSchemes        URL schemes accepted for relays, a non-empty subset of
 *                              {@code {"ws", "wss"}} (lower-cased); default {@code {"wss"}}. Plain
 *                              {@code ws://} to a loopback host is always accepted; {@code ws} in
 *                              this set allows it to any host.
 * @param allowPrivateAddresses accept discovered relays whose address is private, loopback,
 *                              link-local, CGNAT, IPv4-mapped or unique-local; default false
 */
public record SecurityConfig(Set<String> allowedSchemes, boolean allowPrivateAddresses) {

    private static final SecurityConfig DEFAULTS = new SecurityConfig(Set.of("wss"), false);

    /**
     * Validates and lower-cases the schemes.
     *
     * @param allowedSchemes        URL schemes accepted for relays, a non-empty subset of {@code {"ws", "wss"}} (lower-cased); default {@code {"wss"}}. Plain {@code ws://} to a loopback host is always accepted; {@code ws} in this set allows it to any host.
     * @param allowPrivateAddresses accept discovered relays whose address is private, loopback, link-local, CGNAT, IPv4-mapped or unique-local; default false 
     * @throws IllegalArgumentException whose message starts with {@code security.allowedSchemes}
     * @throws NullPointerException     if {@code allowedSchemes} or an entry is null
     */
    public SecurityConfig {
        allowedSchemes = ConfigChecks.schemes("security.allowedSchemes", allowedSchemes);
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default security settings
     */
    public static SecurityConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Tells whether a relay's scheme is acceptable.
     *
     * @param endpoint the relay
     * @return true for a scheme in {@code allowedSchemes}, or for {@code ws} to a loopback host
     */
    public boolean schemeAllowed(RelayEndpoint endpoint) {
        String scheme = endpoint.url().getScheme();
        return allowedSchemes.contains(scheme) || (scheme.equals("ws") && endpoint.loopback());
    }
}
