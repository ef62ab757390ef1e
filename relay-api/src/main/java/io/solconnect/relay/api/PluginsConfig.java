package io.solconnect.relay.api;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The providers a client is assembled from, each found by name through
 * {@link java.util.ServiceLoader}. Immutable and thread-safe.
 *
 * @param discovery    the discovery sources, merged; at least one, names distinct; default
 *                     {@code [static]} (the configuration's own relay list)
 * @param protocol     the wire protocol; default {@code solconnect-sync}
 * @param transport    the transport; default {@code tyrus}
 * @param store        the store of the outbox and configuration; default {@code file}
 * @param healthScorer the health scorer; default {@code default}
 */
public record PluginsConfig(List<ProviderChoice> discovery, ProviderChoice protocol, ProviderChoice transport,
                            ProviderChoice store, ProviderChoice healthScorer) {

    private static final PluginsConfig DEFAULTS = new PluginsConfig(List.of(ProviderChoice.of("static")),
            ProviderChoice.of("solconnect-sync"), ProviderChoice.of("tyrus"), ProviderChoice.of("file"),
            ProviderChoice.of("default"));

    /**
     * Validates every component and copies the list.
     *
     * @param discovery    the discovery sources, merged; at least one, names distinct; default {@code [static]} (the configuration's own relay list)
     * @param protocol     the wire protocol; default {@code solconnect-sync}
     * @param transport    the transport; default {@code tyrus}
     * @param store        the store of the outbox and configuration; default {@code file}
     * @param healthScorer the health scorer; default {@code default} 
     * @throws IllegalArgumentException whose message starts with {@code plugins.discovery}
     * @throws NullPointerException     if a component is null
     */
    public PluginsConfig {
        discovery = List.copyOf(Objects.requireNonNull(discovery, "plugins.discovery"));
        Objects.requireNonNull(protocol, "plugins.protocol");
        Objects.requireNonNull(transport, "plugins.transport");
        Objects.requireNonNull(store, "plugins.store");
        Objects.requireNonNull(healthScorer, "plugins.healthScorer");
        if (discovery.isEmpty()) {
            throw new IllegalArgumentException("plugins.discovery must name at least one source, e.g. 'static'");
        }
        Set<String> seen = new HashSet<>();
        for (ProviderChoice d : discovery) {
            if (!seen.add(d.name())) {
                throw new IllegalArgumentException("plugins.discovery names source '" + d.name() + "' twice");
            }
        }
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default provider choices
     */
    public static PluginsConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Tells whether the built-in {@code static} source is the only discovery source.
     *
     * @return true if every discovery source is named {@code static}
     */
    public boolean onlyStaticDiscovery() {
        return discovery.stream().allMatch(d -> d.name().equals("static"));
    }
}
