package io.solconnect.relay.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration of a relay client: the static relay list and sender id, and one small
 * record per concern. Immutable and thread-safe; build one with {@link #custom()},
 * {@link #from(RelayConfig)} or {@link #of(RelayEndpoint...)}.
 *
 * <p>Every check throws {@link IllegalArgumentException} whose message starts with the option's
 * JSON path, e.g. {@code "liveness.pingInterval must be positive, was PT0S"}; the JSON loader in
 * the core module reports the same messages as {@link Result} errors at {@code $.liveness.pingInterval}.
 *
 * @param relays    the static relay list (served by the {@code static} discovery source); ids
 *                  unique; may be empty only if a discovery source other than {@code static} is
 *                  configured; default empty
 * @param sender    the sender id put in outbound frames, at most 256 characters, or {@code ""} for
 *                  a random one per start; default {@code ""}
 * @param selection how relays are chosen; default {@link SelectionConfig#ofDefaults()}
 * @param liveness  how fast a dead link is noticed; default {@link LivenessConfig#ofDefaults()}
 * @param failover  standbys, reconnection and ejection; default {@link FailoverConfig#ofDefaults()}
 * @param outbox    outbox and message size bounds; default {@link OutboxConfig#ofDefaults()}
 * @param dedup     inbound duplicate memory; default {@link DedupConfig#ofDefaults()}
 * @param security  acceptable relay addresses; default {@link SecurityConfig#ofDefaults()}
 * @param plugins   the providers; default {@link PluginsConfig#ofDefaults()}
 */
public record RelayConfig(
        List<RelayEndpoint> relays,
        String sender,
        SelectionConfig selection,
        LivenessConfig liveness,
        FailoverConfig failover,
        OutboxConfig outbox,
        DedupConfig dedup,
        SecurityConfig security,
        PluginsConfig plugins) {

    /**
     * Validates the components and the rules across them: relays are unique and pass
     * {@link SecurityConfig#schemeAllowed}, and are not empty when {@code static} is the only
     * discovery source.
     *
     * @param relays    the static relay list (served by the {@code static} discovery source); ids unique; may be empty only if a discovery source other than {@code static} is configured; default empty
     * @param sender    the sender id put in outbound frames, at most 256 characters, or {@code ""} for a random one per start; default {@code ""}
     * @param selection how relays are chosen; default {@link SelectionConfig#ofDefaults()}
     * @param liveness  how fast a dead link is noticed; default {@link LivenessConfig#ofDefaults()}
     * @param failover  standbys, reconnection and ejection; default {@link FailoverConfig#ofDefaults()}
     * @param outbox    outbox and message size bounds; default {@link OutboxConfig#ofDefaults()}
     * @param dedup     inbound duplicate memory; default {@link DedupConfig#ofDefaults()}
     * @param security  acceptable relay addresses; default {@link SecurityConfig#ofDefaults()}
     * @param plugins   the providers; default {@link PluginsConfig#ofDefaults()} 
     * @throws IllegalArgumentException whose message starts with the bad option's path
     * @throws NullPointerException     if a component is null
     */
    public RelayConfig {
        relays = List.copyOf(Objects.requireNonNull(relays, "relays"));
        ConfigChecks.maxLength("sender", sender, 256);
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(dedup, "dedup");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(plugins, "plugins");
        if (relays.isEmpty() && plugins.onlyStaticDiscovery()) {
            throw new IllegalArgumentException("relays must not be empty when 'static' is the only discovery source");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < relays.size(); i++) {
            RelayEndpoint r = relays.get(i);
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("relays[" + i + "].url duplicates " + r.id());
            }
            if (!security.schemeAllowed(r)) {
                String scheme = r.url().getScheme();
                throw new IllegalArgumentException("relays[" + i + "].url " + r.id() + (scheme.equals("ws")
                        ? " uses ws:// to a non-loopback host; use wss:// or add \"ws\" to security.allowedSchemes"
                        : " uses " + scheme + "://, which security.allowedSchemes does not hold"));
            }
        }
    }

    /**
     * Tells whether a relay's scheme is acceptable under this configuration.
     *
     * @param endpoint the relay
     * @return see {@link SecurityConfig#schemeAllowed(RelayEndpoint)}
     */
    public boolean schemeAllowed(RelayEndpoint endpoint) {
        return security.schemeAllowed(endpoint);
    }

    /**
     * Starts a builder with every default; add relays or a discovery source before {@code build()}.
     *
     * @return a new builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * Starts a builder holding a copy of an existing configuration.
     *
     * @param existing the configuration to copy
     * @return a new builder
     */
    public static Builder from(RelayConfig existing) {
        return new Builder(Objects.requireNonNull(existing, "existing"));
    }

    /**
     * A configuration with every default and the given relays.
     *
     * @param relays one or more relays
     * @return the configuration
     * @throws IllegalArgumentException if the relays are not acceptable
     */
    public static RelayConfig of(RelayEndpoint... relays) {
        return custom().relays(List.of(relays)).build();
    }

    /**
     * Longest duration any option accepts, from any source (builder, file, settings page, a
     * provider's duration settings): 365 days. Longer values would overflow the engine's clock
     * arithmetic (nanoseconds in a {@code long}) and mean "never" in practice.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    /**
     * Builds a {@link RelayConfig}. Not thread-safe. Each setter checks its argument at once and
     * throws {@link IllegalArgumentException} naming the option and the bad value; the rules
     * across options ({@code failover.backoffMax >= failover.backoffInitial},
     * {@code outbox.maxBytes >= outbox.maxMessageBytes}, relays against schemes and discovery) are
     * checked by {@link #build()}. Defaults and units are those of the records.
     */
    public static final class Builder {
        private List<RelayEndpoint> relays = new ArrayList<>();
        private String sender = "";
        private SelectionConfig selection = SelectionConfig.ofDefaults();
        private SecurityConfig security = SecurityConfig.ofDefaults();
        private PluginsConfig plugins = PluginsConfig.ofDefaults();
        private DedupConfig dedup = DedupConfig.ofDefaults();
        // Records with a rule across their fields are kept as loose values until build(), so
        // that setters may come in any order.
        private int standbyCount;
        private int maxRetries;
        private Duration backoffInitial;
        private Duration backoffMax;
        private Duration stablePeriod;
        private Duration ejectionTime;
        private int outboxMaxMessages;
        private long outboxMaxBytes;
        private int maxMessageBytes;
        /** 0: the default for the final {@code maxMessageBytes}. */
        private int maxResumeBytes;
        private Duration pingInterval;
        private Duration pingTimeout;
        private Duration connectTimeout;
        /** Null: the default for the final {@code pingInterval}. */
        private Duration idlePingInterval;

        private Builder() {
            liveness(LivenessConfig.ofDefaults());
            failover(FailoverConfig.ofDefaults());
            outbox(OutboxConfig.ofDefaults());
        }

        private Builder(RelayConfig c) {
            relays = new ArrayList<>(c.relays);
            sender = c.sender;
            selection = c.selection;
            liveness(c.liveness);
            security = c.security;
            plugins = c.plugins;
            dedup = c.dedup;
            failover(c.failover);
            outbox(c.outbox);
        }

        // ---- whole groups

        /**
         * Replaces the selection settings.
         *
         * @param selection the settings
         * @return this builder
         */
        public Builder selection(SelectionConfig selection) {
            this.selection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        /**
         * Replaces the liveness settings. An {@code idlePingInterval} equal to the default for its
         * {@code pingInterval} counts as not set: it follows a {@code pingInterval} set later.
         *
         * @param liveness the settings
         * @return this builder
         */
        public Builder liveness(LivenessConfig liveness) {
            Objects.requireNonNull(liveness, "liveness");
            pingInterval = liveness.pingInterval();
            pingTimeout = liveness.pingTimeout();
            connectTimeout = liveness.connectTimeout();
            idlePingInterval = liveness.idlePingInterval().equals(LivenessConfig.defaultIdlePingInterval(pingInterval))
                    ? null : liveness.idlePingInterval();
            return this;
        }

        /**
         * Replaces the failover settings.
         *
         * @param failover the settings
         * @return this builder
         */
        public Builder failover(FailoverConfig failover) {
            Objects.requireNonNull(failover, "failover");
            standbyCount = failover.standbyCount();
            maxRetries = failover.maxRetries();
            backoffInitial = failover.backoffInitial();
            backoffMax = failover.backoffMax();
            stablePeriod = failover.stablePeriod();
            ejectionTime = failover.ejectionTime();
            return this;
        }

        /**
         * Replaces the outbox bounds.
         *
         * @param outbox the bounds
         * @return this builder
         */
        public Builder outbox(OutboxConfig outbox) {
            Objects.requireNonNull(outbox, "outbox");
            outboxMaxMessages = outbox.maxMessages();
            outboxMaxBytes = outbox.maxBytes();
            maxMessageBytes = outbox.maxMessageBytes();
            maxResumeBytes = outbox.maxResumeBytes() == OutboxConfig.defaultMaxResumeBytes(outbox.maxMessageBytes())
                    ? 0 : outbox.maxResumeBytes();
            return this;
        }

        /**
         * Replaces the dedup settings.
         *
         * @param dedup the settings
         * @return this builder
         */
        public Builder dedup(DedupConfig dedup) {
            this.dedup = Objects.requireNonNull(dedup, "dedup");
            return this;
        }

        /**
         * Replaces the security settings.
         *
         * @param security the settings
         * @return this builder
         */
        public Builder security(SecurityConfig security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * Replaces the provider choices.
         *
         * @param plugins the choices
         * @return this builder
         */
        public Builder plugins(PluginsConfig plugins) {
            this.plugins = Objects.requireNonNull(plugins, "plugins");
            return this;
        }

        // ---- relays and identity

        /**
         * Replaces the static relay list.
         *
         * @param relays the relays, copied; no null entry
         * @return this builder
         */
        public Builder relays(List<RelayEndpoint> relays) {
            List<RelayEndpoint> copy = new ArrayList<>(Objects.requireNonNull(relays, "relays"));
            for (int i = 0; i < copy.size(); i++) {
                Objects.requireNonNull(copy.get(i), "relays[" + i + "]");
            }
            this.relays = copy;
            return this;
        }

        /**
         * Adds one static relay.
         *
         * @param relay the relay
         * @return this builder
         */
        public Builder addRelay(RelayEndpoint relay) {
            this.relays.add(Objects.requireNonNull(relay, "relay"));
            return this;
        }

        /**
         * Adds one static relay with default metadata.
         *
         * @param url the relay URL
         * @return this builder
         * @throws IllegalArgumentException if the URL is not a valid relay URL
         */
        public Builder addRelay(String url) {
            return addRelay(RelayEndpoint.of(url));
        }

        /**
         * Sets the sender id.
         *
         * @param sender up to 256 characters, or {@code ""} (default) for a random id per start
         * @return this builder
         */
        public Builder sender(String sender) {
            this.sender = ConfigChecks.maxLength("sender", sender, 256);
            return this;
        }

        // ---- selection

        /**
         * Sets the selection strategy.
         *
         * @param strategy default {@link LoadBalancingStrategy#ofDefaults()}
         * @return this builder
         */
        public Builder selectionStrategy(LoadBalancingStrategy strategy) {
            Objects.requireNonNull(strategy, "selection.strategy");
            selection = new SelectionConfig(strategy, selection.failoverThreshold(), selection.healthCheckInterval(),
                    selection.region());
            return this;
        }

        /**
         * Sets the health score below which a relay is left.
         *
         * @param threshold in [0, 1]; default 0.3
         * @return this builder
         */
        public Builder failoverThreshold(double threshold) {
            ConfigChecks.unitInterval("selection.failoverThreshold", threshold);
            selection = new SelectionConfig(selection.strategy(), threshold, selection.healthCheckInterval(),
                    selection.region());
            return this;
        }

        /**
         * Sets the health-check interval.
         *
         * @param interval positive; default 1 s
         * @return this builder
         */
        public Builder healthCheckInterval(Duration interval) {
            ConfigChecks.positive("selection.healthCheckInterval", interval);
            selection = new SelectionConfig(selection.strategy(), selection.failoverThreshold(), interval,
                    selection.region());
            return this;
        }

        /**
         * Sets this client's region.
         *
         * @param region e.g. {@code "eu-west"}, at most 64 characters, or {@code ""} (default) to infer it
         * @return this builder
         */
        public Builder region(String region) {
            ConfigChecks.maxLength("selection.region", region, 64);
            selection = new SelectionConfig(selection.strategy(), selection.failoverThreshold(),
                    selection.healthCheckInterval(), region);
            return this;
        }

        // ---- liveness

        /**
         * Sets the time without any frame after which a link in use is pinged.
         *
         * @param interval at least 10 ms; default 150 ms
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            pingInterval = ConfigChecks.atLeast("liveness.pingInterval", interval, LivenessConfig.MIN_TIMER);
            return this;
        }

        /**
         * Sets the time without any frame after which an idle link is pinged (see
         * {@link LivenessConfig}); checked against {@code pingInterval} by {@link #build()}.
         *
         * @param interval at least 10 ms and at least {@code pingInterval}; default 5 s, or
         *                 {@code pingInterval} when that is longer
         * @return this builder
         */
        public Builder idlePingInterval(Duration interval) {
            idlePingInterval = ConfigChecks.atLeast("liveness.idlePingInterval", interval, LivenessConfig.MIN_TIMER);
            return this;
        }

        /**
         * Sets the time a ping may go unanswered.
         *
         * @param timeout at least 10 ms; default 250 ms
         * @return this builder
         */
        public Builder pingTimeout(Duration timeout) {
            pingTimeout = ConfigChecks.atLeast("liveness.pingTimeout", timeout, LivenessConfig.MIN_TIMER);
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param timeout at least 10 ms; default 5 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            connectTimeout = ConfigChecks.atLeast("liveness.connectTimeout", timeout, LivenessConfig.MIN_TIMER);
            return this;
        }

        // ---- failover

        /**
         * Sets the number of warm standby connections.
         *
         * @param count 0..4; default 1
         * @return this builder
         */
        public Builder standbyCount(int count) {
            standbyCount = (int) ConfigChecks.range("failover.standbyCount", count, 0, 4);
            return this;
        }

        /**
         * Sets the connection attempts before ejection.
         *
         * @param retries 0..1000; default 3
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            maxRetries = (int) ConfigChecks.range("failover.maxRetries", retries, 0, 1000);
            return this;
        }

        /**
         * Sets the first reconnect delay.
         *
         * @param initial positive; default 100 ms
         * @return this builder
         */
        public Builder backoffInitial(Duration initial) {
            backoffInitial = ConfigChecks.positive("failover.backoffInitial", initial);
            return this;
        }

        /**
         * Sets the cap of the reconnect delay.
         *
         * @param max positive, and at least {@code backoffInitial} by {@link #build()}; default 30 s
         * @return this builder
         */
        public Builder backoffMax(Duration max) {
            backoffMax = ConfigChecks.positive("failover.backoffMax", max);
            return this;
        }

        /**
         * Sets the reconnect backoff.
         *
         * @param initial first delay, positive; default 100 ms
         * @param max     cap, at least {@code initial}; default 30 s
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            return backoffInitial(initial).backoffMax(max);
        }

        /**
         * Sets the period after which a connection counts as stable.
         *
         * @param period positive; default 30 s
         * @return this builder
         */
        public Builder stablePeriod(Duration period) {
            stablePeriod = ConfigChecks.positive("failover.stablePeriod", period);
            return this;
        }

        /**
         * Sets the base ejection time.
         *
         * @param time positive; default 10 s
         * @return this builder
         */
        public Builder ejectionTime(Duration time) {
            ejectionTime = ConfigChecks.positive("failover.ejectionTime", time);
            return this;
        }

        // ---- outbox

        /**
         * Sets the most messages the outbox holds.
         *
         * @param maxMessages 1..10,000,000; default 10,000
         * @return this builder
         */
        public Builder outboxMaxMessages(int maxMessages) {
            outboxMaxMessages = (int) ConfigChecks.range("outbox.maxMessages", maxMessages, 1, 10_000_000);
            return this;
        }

        /**
         * Sets the most payload bytes the outbox holds.
         *
         * @param maxBytes in bytes, at least 1 KiB, and at least {@code maxMessageBytes} by
         *                 {@link #build()}; default 16 MiB
         * @return this builder
         */
        public Builder outboxMaxBytes(long maxBytes) {
            outboxMaxBytes = ConfigChecks.atLeast("outbox.maxBytes", maxBytes, 1024);
            return this;
        }

        /**
         * Sets both outbox bounds.
         *
         * @param maxMessages 1..10,000,000; default 10,000
         * @param maxBytes    in bytes, at least {@code maxMessageBytes}; default 16 MiB
         * @return this builder
         */
        public Builder outboxLimits(int maxMessages, long maxBytes) {
            return outboxMaxMessages(maxMessages).outboxMaxBytes(maxBytes);
        }

        /**
         * Sets the largest message and frame size.
         *
         * @param bytes 1 KiB..64 MiB; default 1 MiB
         * @return this builder
         */
        public Builder maxMessageBytes(int bytes) {
            maxMessageBytes = (int) ConfigChecks.range("outbox.maxMessageBytes", bytes, 1024, 64 * 1024 * 1024);
            return this;
        }

        /**
         * Sets the largest resume reply frame accepted: a relay that cannot split its answer to a
         * resume (the original {@code relay-sync.js}) sends a room's whole history in one frame.
         *
         * @param bytes at least {@code maxMessageBytes} (checked by {@link #build()}), at most 256 MiB;
         *              default 4 MiB, or {@code maxMessageBytes} when that is larger
         * @return this builder
         */
        public Builder maxResumeBytes(int bytes) {
            maxResumeBytes = (int) ConfigChecks.range("outbox.maxResumeBytes", bytes, 1024,
                    OutboxConfig.MAX_RESUME_BYTES_LIMIT);
            return this;
        }

        // ---- dedup

        /**
         * Sets how long inbound ids are remembered.
         *
         * @param window positive; default 10 min
         * @return this builder
         */
        public Builder dedupWindow(Duration window) {
            dedup = new DedupConfig(window, dedup.maxEntries());
            return this;
        }

        /**
         * Sets how many inbound ids are remembered.
         *
         * @param maxEntries 1,000..100,000,000; default 100,000
         * @return this builder
         */
        public Builder dedupMaxEntries(int maxEntries) {
            dedup = new DedupConfig(dedup.window(), maxEntries);
            return this;
        }

        /**
         * Sets the dedup memory.
         *
         * @param window     positive; default 10 min
         * @param maxEntries 1,000..100,000,000; default 100,000
         * @return this builder
         */
        public Builder dedup(Duration window, int maxEntries) {
            return dedup(new DedupConfig(window, maxEntries));
        }

        // ---- security

        /**
         * Sets the allowed URL schemes.
         *
         * @param schemes a non-empty subset of {@code {"ws", "wss"}}; default {@code {"wss"}}
         * @return this builder
         */
        public Builder allowedSchemes(Set<String> schemes) {
            security = new SecurityConfig(schemes, security.allowPrivateAddresses());
            return this;
        }

        /**
         * Allows discovered relays at private, loopback and similar addresses.
         *
         * @param allow default false
         * @return this builder
         */
        public Builder allowPrivateAddresses(boolean allow) {
            security = new SecurityConfig(security.allowedSchemes(), allow);
            return this;
        }

        // ---- plugins

        /**
         * Sets the discovery sources.
         *
         * @param sources at least one, distinct names; default {@code [static]}
         * @return this builder
         */
        public Builder discovery(List<ProviderChoice> sources) {
            plugins = new PluginsConfig(sources, plugins.protocol(), plugins.transport(), plugins.store(),
                    plugins.healthScorer());
            return this;
        }

        /**
         * Sets the protocol.
         *
         * @param protocol default {@code solconnect-sync}
         * @return this builder
         */
        public Builder protocol(ProviderChoice protocol) {
            Objects.requireNonNull(protocol, "plugins.protocol");
            plugins = new PluginsConfig(plugins.discovery(), protocol, plugins.transport(), plugins.store(),
                    plugins.healthScorer());
            return this;
        }

        /**
         * Sets the protocol by name, with no settings.
         *
         * @param name e.g. {@code "solconnect-legacy"}
         * @return this builder
         */
        public Builder protocol(String name) {
            return protocol(ProviderChoice.of(name));
        }

        /**
         * Sets the transport.
         *
         * @param transport default {@code tyrus}
         * @return this builder
         */
        public Builder transport(ProviderChoice transport) {
            Objects.requireNonNull(transport, "plugins.transport");
            plugins = new PluginsConfig(plugins.discovery(), plugins.protocol(), transport, plugins.store(),
                    plugins.healthScorer());
            return this;
        }

        /**
         * Sets the store.
         *
         * @param store default {@code file}
         * @return this builder
         */
        public Builder store(ProviderChoice store) {
            Objects.requireNonNull(store, "plugins.store");
            plugins = new PluginsConfig(plugins.discovery(), plugins.protocol(), plugins.transport(), store,
                    plugins.healthScorer());
            return this;
        }

        /**
         * Sets the health scorer.
         *
         * @param scorer default {@code default}
         * @return this builder
         */
        public Builder healthScorer(ProviderChoice scorer) {
            Objects.requireNonNull(scorer, "plugins.healthScorer");
            plugins = new PluginsConfig(plugins.discovery(), plugins.protocol(), plugins.transport(),
                    plugins.store(), scorer);
            return this;
        }

        /**
         * Builds the configuration, checking the rules across options.
         *
         * @return the configuration
         * @throws IllegalArgumentException whose message starts with the bad option's path
         */
        public RelayConfig build() {
            FailoverConfig f = new FailoverConfig(standbyCount, maxRetries, backoffInitial, backoffMax,
                    stablePeriod, ejectionTime);
            OutboxConfig o = new OutboxConfig(outboxMaxMessages, outboxMaxBytes, maxMessageBytes,
                    maxResumeBytes == 0 ? OutboxConfig.defaultMaxResumeBytes(maxMessageBytes) : maxResumeBytes);
            LivenessConfig live = new LivenessConfig(pingInterval, pingTimeout, connectTimeout,
                    idlePingInterval == null ? LivenessConfig.defaultIdlePingInterval(pingInterval) : idlePingInterval);
            return new RelayConfig(relays, sender, selection, live, f, o, dedup, security, plugins);
        }
    }
}
