package io.solconnect.relay.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole configuration of a relay client: the SolConnect spec's {@code RelayConfig} (relays,
 * selection strategy, failover threshold, health-check interval, retries) plus what the engine
 * needs. Immutable and thread-safe; build one with {@link #builder()} or {@link #from(RelayConfig)}.
 *
 * <p>The constructor checks every component and the rules across them, and throws
 * {@link IllegalArgumentException} whose message starts with the field name, e.g.
 * {@code "pingInterval must be positive, was PT0S"}. The JSON loader in the core module reports
 * the same messages as {@link Result} errors.
 *
 * @param relays              the static relay list (served by the {@code static} discovery
 *                            provider); must not be empty unless another discovery source is
 *                            configured; ids must be unique
 * @param selectionStrategy   how relays are picked; default {@link LoadBalancingStrategy#ofDefaults()}
 * @param failoverThreshold   a relay whose health score (in [0, 1]) falls below this is left for a
 *                            better one; in [0, 1]; default 0.3
 * @param healthCheckInterval how often scores are recomputed and the threshold checked; positive;
 *                            default 1 s
 * @param maxRetries          connection attempts to one relay in a row before it is ejected (once
 *                            the failures span at least 1 s); 0..1000; default 3
 * @param pingInterval        a link that received nothing for this long is pinged with a WebSocket
 *                            control frame; positive; default 150 ms
 * @param pingTimeout         a ping unanswered (and no other frame received) for this long marks the
 *                            link dead; positive; default 250 ms. Interval plus timeout bound the
 *                            detection time of a silent relay.
 * @param connectTimeout      limit on opening a connection (TCP, TLS and WebSocket handshake);
 *                            positive; default 5 s
 * @param standbyCount        warm standby connections kept open and joined, each also given a copy of
 *                            every message sent; 0..4; default 1
 * @param outboxMaxMessages   most messages held unacknowledged or queued; 1..10,000,000; default 10,000
 * @param outboxMaxBytes      most payload bytes held; at least {@code maxMessageBytes}; default 16 MiB
 * @param maxMessageBytes     largest outbound payload and inbound frame, in bytes; 1 KiB..64 MiB;
 *                            default 1 MiB
 * @param backoffInitial      first reconnect delay to one relay (full jitter below it); positive;
 *                            default 100 ms
 * @param backoffMax          cap of the exponential reconnect delay; at least {@code backoffInitial};
 *                            default 30 s. The exponent counts the relay's failures within the last
 *                            {@code stablePeriod}
 * @param stablePeriod        a connection that lasts this long resets its relay's backoff and
 *                            ejection count, and failures older than this no longer raise the
 *                            backoff; with session affinity, standbys move to the room's
 *                            next choices only after this long without a failover; positive;
 *                            default 30 s
 * @param ejectionTime        base time a failing relay is ejected for, growing with each ejection;
 *                            positive; default 10 s
 * @param dedupWindow         how long inbound message ids are remembered for deduplication;
 *                            positive; default 10 min
 * @param dedupMaxEntries     most ids remembered; 1,000..100,000,000; default 100,000
 * @param allowedSchemes      URL schemes accepted for relays, from {@code {"ws", "wss"}}; default
 *                            {@code {"wss"}}. Plain {@code ws://} to a loopback host is always
 *                            accepted; {@code ws} in this set allows it to any host.
 * @param allowPrivateAddresses accept discovered relays whose address is private, loopback,
 *                            link-local, CGNAT, IPv4-mapped or unique-local; default false
 * @param region              this client's region for geographic selection, or {@code ""} to infer
 *                            it from measured latency; default {@code ""}
 * @param sender              the sender id put in outbound frames, or {@code ""} for a random one
 *                            per start; default {@code ""}
 * @param discovery           the discovery sources, merged; default {@code [static]}
 * @param protocol            the wire protocol; default {@code solconnect-sync}
 * @param transport           the transport; default {@code tyrus}
 * @param store               the store; default {@code file}
 * @param healthScorer        the health scorer; default {@code default}
 */
public record RelayConfig(
        List<RelayEndpoint> relays,
        LoadBalancingStrategy selectionStrategy,
        double failoverThreshold,
        Duration healthCheckInterval,
        int maxRetries,
        Duration pingInterval,
        Duration pingTimeout,
        Duration connectTimeout,
        int standbyCount,
        int outboxMaxMessages,
        long outboxMaxBytes,
        int maxMessageBytes,
        Duration backoffInitial,
        Duration backoffMax,
        Duration stablePeriod,
        Duration ejectionTime,
        Duration dedupWindow,
        int dedupMaxEntries,
        Set<String> allowedSchemes,
        boolean allowPrivateAddresses,
        String region,
        String sender,
        List<ProviderChoice> discovery,
        ProviderChoice protocol,
        ProviderChoice transport,
        ProviderChoice store,
        ProviderChoice healthScorer) {

    /**
     * Validates every component and the rules across them.
     *
     * @param relays the static relay list (served by the {@code static} discovery provider); must not be empty unless another discovery source is configured; ids must be unique
     * @param selectionStrategy how relays are picked; default {@link LoadBalancingStrategy#ofDefaults()}
     * @param failoverThreshold a relay whose health score (in [0, 1]) falls below this is left for a better one; in [0, 1]; default 0.3
     * @param healthCheckInterval how often scores are recomputed and the threshold checked; positive; default 1 s
     * @param maxRetries connection attempts to one relay in a row before it is ejected (once the
     *                   failures span at least 1 s); 0..1000; default 3
     * @param pingInterval a link that received nothing for this long is pinged with a WebSocket control frame; positive; default 150 ms
     * @param pingTimeout a ping unanswered (and no other frame received) for this long marks the link dead; positive; default 250 ms. Interval plus timeout bound the detection time of a silent relay.
     * @param connectTimeout limit on opening a connection (TCP, TLS and WebSocket handshake); positive; default 5 s
     * @param standbyCount warm standby connections kept open and joined, each also given a copy of every
     *                     message sent; 0..4; default 1
     * @param outboxMaxMessages most messages held unacknowledged or queued; 1..10,000,000; default 10,000
     * @param outboxMaxBytes most payload bytes held; at least {@code maxMessageBytes}; default 16 MiB
     * @param maxMessageBytes largest outbound payload and inbound frame, in bytes; 1 KiB..64 MiB; default 1 MiB
     * @param backoffInitial first reconnect delay to one relay (full jitter below it); positive; default 100 ms
     * @param backoffMax cap of the exponential reconnect delay (its exponent counts the relay's failures within
     *                   the last {@code stablePeriod}); at least {@code backoffInitial}; default 30 s
     * @param stablePeriod a connection that lasts this long resets its relay's backoff and ejection count, and
     *                     failures older than this no longer raise the backoff;
     *                     with session affinity, standbys converge only after this long without a
     *                     failover; positive; default 30 s
     * @param ejectionTime base time a failing relay is ejected for, growing with each ejection; positive; default 10 s
     * @param dedupWindow how long inbound message ids are remembered for deduplication; positive; default 10 min
     * @param dedupMaxEntries most ids remembered; 1,000..100,000,000; default 100,000
     * @param allowedSchemes URL schemes accepted for relays, from {@code {"ws", "wss"}}; default {@code {"wss"}}. Plain {@code ws://} to a loopback host is always accepted; {@code ws} in this set allows it to any host.
     * @param allowPrivateAddresses accept discovered relays whose address is private, loopback, link-local, CGNAT, IPv4-mapped or unique-local; default false
     * @param region this client's region for geographic selection, or {@code ""} to infer it from measured latency; default {@code ""}
     * @param sender the sender id put in outbound frames, or {@code ""} for a random one per start; default {@code ""}
     * @param discovery the discovery sources, merged; default {@code [static]}
     * @param protocol the wire protocol; default {@code solconnect-sync}
     * @param transport the transport; default {@code tyrus}
     * @param store the store; default {@code file}
     * @param healthScorer the health scorer; default {@code default}
     * @throws IllegalArgumentException whose message starts with the name of the bad field
     * @throws NullPointerException     if a component is null
     */
    public RelayConfig {
        Objects.requireNonNull(relays, "relays");
        Objects.requireNonNull(selectionStrategy, "selectionStrategy");
        Objects.requireNonNull(allowedSchemes, "allowedSchemes");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(healthScorer, "healthScorer");
        relays = List.copyOf(relays);
        discovery = List.copyOf(discovery);
        Set<String> schemes = new TreeSet<>();
        for (String s : allowedSchemes) {
            String lower = Objects.requireNonNull(s, "allowedSchemes entry").toLowerCase(Locale.ROOT);
            if (!lower.equals("ws") && !lower.equals("wss")) {
                throw new IllegalArgumentException("allowedSchemes may hold only 'ws' and 'wss', had '" + s + "'");
            }
            schemes.add(lower);
        }
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("allowedSchemes must not be empty");
        }
        allowedSchemes = Set.copyOf(schemes);

        if (!(failoverThreshold >= 0 && failoverThreshold <= 1)) {
            throw new IllegalArgumentException("failoverThreshold must be in [0, 1], was " + failoverThreshold);
        }
        positive("healthCheckInterval", healthCheckInterval);
        positive("pingInterval", pingInterval);
        positive("pingTimeout", pingTimeout);
        positive("connectTimeout", connectTimeout);
        positive("backoffInitial", backoffInitial);
        positive("backoffMax", backoffMax);
        positive("stablePeriod", stablePeriod);
        positive("ejectionTime", ejectionTime);
        positive("dedupWindow", dedupWindow);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax must be at least backoffInitial (" + backoffInitial + "), was " + backoffMax);
        }
        range("maxRetries", maxRetries, 0, 1000);
        range("standbyCount", standbyCount, 0, 4);
        range("outboxMaxMessages", outboxMaxMessages, 1, 10_000_000);
        range("maxMessageBytes", maxMessageBytes, 1024, 64 * 1024 * 1024);
        range("dedupMaxEntries", dedupMaxEntries, 1000, 100_000_000);
        if (outboxMaxBytes < maxMessageBytes) {
            throw new IllegalArgumentException("outboxMaxBytes must be at least maxMessageBytes (" + maxMessageBytes + "), was " + outboxMaxBytes);
        }
        if (region.length() > 64) {
            throw new IllegalArgumentException("region must be at most 64 characters, was " + region.length());
        }
        if (sender.length() > 256) {
            throw new IllegalArgumentException("sender must be at most 256 characters, was " + sender.length());
        }
        if (discovery.isEmpty()) {
            throw new IllegalArgumentException("discovery must name at least one source, e.g. 'static'");
        }
        Set<String> seenSources = new HashSet<>();
        for (ProviderChoice d : discovery) {
            if (!seenSources.add(d.name())) {
                throw new IllegalArgumentException("discovery names source '" + d.name() + "' twice");
            }
        }
        boolean onlyStatic = discovery.stream().allMatch(d -> d.name().equals("static"));
        if (relays.isEmpty() && onlyStatic) {
            throw new IllegalArgumentException("relays must not be empty when 'static' is the only discovery source");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < relays.size(); i++) {
            RelayEndpoint r = Objects.requireNonNull(relays.get(i), "relays[" + i + "]");
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("relays[" + i + "].url duplicates " + r.id());
            }
            if (!schemeAllowed(r, allowedSchemes)) {
                throw new IllegalArgumentException("relays[" + i + "].url " + r.id()
                        + " uses ws:// to a non-loopback host; use wss:// or add \"ws\" to allowedSchemes");
            }
        }
    }

    /**
     * Tells whether a relay's scheme is acceptable under this configuration.
     *
     * @param endpoint the relay
     * @return true for {@code wss} when allowed, for {@code ws} to loopback, or for {@code ws} when
     *         {@code allowedSchemes} holds {@code ws}
     */
    public boolean schemeAllowed(RelayEndpoint endpoint) {
        return schemeAllowed(endpoint, allowedSchemes);
    }

    private static boolean schemeAllowed(RelayEndpoint r, Set<String> schemes) {
        String scheme = r.url().getScheme();
        if (schemes.contains(scheme)) {
            return true;
        }
        return scheme.equals("ws") && r.loopback();
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
    }

    private static void range(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", was " + v);
        }
    }

    /**
     * Starts a builder with every default; add relays or a discovery source before {@code build()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding a copy of an existing configuration.
     *
     * @param existing the configuration to copy
     * @return a new builder
     */
    public static Builder from(RelayConfig existing) {
        return new Builder(existing);
    }

    /**
     * A configuration with every default and the given relays.
     *
     * @param relays one or more relays
     * @return the configuration
     * @throws IllegalArgumentException if the relays are not acceptable
     */
    public static RelayConfig of(RelayEndpoint... relays) {
        return builder().relays(List.of(relays)).build();
    }

    /**
     * Builds a {@link RelayConfig}. Not thread-safe. Each setter checks what it can check alone
     * ({@link IllegalArgumentException} naming the field); {@link #build()} checks the rest.
     */
    public static final class Builder {
        private List<RelayEndpoint> relays = new ArrayList<>();
        private LoadBalancingStrategy selectionStrategy = LoadBalancingStrategy.ofDefaults();
        private double failoverThreshold = 0.3;
        private Duration healthCheckInterval = Duration.ofSeconds(1);
        private int maxRetries = 3;
        private Duration pingInterval = Duration.ofMillis(150);
        private Duration pingTimeout = Duration.ofMillis(250);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int standbyCount = 1;
        private int outboxMaxMessages = 10_000;
        private long outboxMaxBytes = 16L * 1024 * 1024;
        private int maxMessageBytes = 1024 * 1024;
        private Duration backoffInitial = Duration.ofMillis(100);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration stablePeriod = Duration.ofSeconds(30);
        private Duration ejectionTime = Duration.ofSeconds(10);
        private Duration dedupWindow = Duration.ofMinutes(10);
        private int dedupMaxEntries = 100_000;
        private Set<String> allowedSchemes = Set.of("wss");
        private boolean allowPrivateAddresses;
        private String region = "";
        private String sender = "";
        private List<ProviderChoice> discovery = List.of(ProviderChoice.of("static"));
        private ProviderChoice protocol = ProviderChoice.of("solconnect-sync");
        private ProviderChoice transport = ProviderChoice.of("tyrus");
        private ProviderChoice store = ProviderChoice.of("file");
        private ProviderChoice healthScorer = ProviderChoice.of("default");

        private Builder() {
        }

        private Builder(RelayConfig c) {
            relays = new ArrayList<>(c.relays);
            selectionStrategy = c.selectionStrategy;
            failoverThreshold = c.failoverThreshold;
            healthCheckInterval = c.healthCheckInterval;
            maxRetries = c.maxRetries;
            pingInterval = c.pingInterval;
            pingTimeout = c.pingTimeout;
            connectTimeout = c.connectTimeout;
            standbyCount = c.standbyCount;
            outboxMaxMessages = c.outboxMaxMessages;
            outboxMaxBytes = c.outboxMaxBytes;
            maxMessageBytes = c.maxMessageBytes;
            backoffInitial = c.backoffInitial;
            backoffMax = c.backoffMax;
            stablePeriod = c.stablePeriod;
            ejectionTime = c.ejectionTime;
            dedupWindow = c.dedupWindow;
            dedupMaxEntries = c.dedupMaxEntries;
            allowedSchemes = c.allowedSchemes;
            allowPrivateAddresses = c.allowPrivateAddresses;
            region = c.region;
            sender = c.sender;
            discovery = c.discovery;
            protocol = c.protocol;
            transport = c.transport;
            store = c.store;
            healthScorer = c.healthScorer;
        }

        /**
         * Replaces the static relay list.
         *
         * @param relays the relays, copied
         * @return this builder
         */
        public Builder relays(List<RelayEndpoint> relays) {
            this.relays = new ArrayList<>(relays);
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
         */
        public Builder addRelay(String url) {
            return addRelay(RelayEndpoint.of(url));
        }

        /**
         * Sets the selection strategy.
         *
         * @param strategy the strategy
         * @return this builder
         */
        public Builder selectionStrategy(LoadBalancingStrategy strategy) {
            this.selectionStrategy = Objects.requireNonNull(strategy, "selectionStrategy");
            return this;
        }

        /**
         * Sets the failover threshold.
         *
         * @param threshold in [0, 1]; default 0.3
         * @return this builder
         */
        public Builder failoverThreshold(double threshold) {
            this.failoverThreshold = threshold;
            return this;
        }

        /**
         * Sets the health-check interval.
         *
         * @param interval positive; default 1 s
         * @return this builder
         */
        public Builder healthCheckInterval(Duration interval) {
            this.healthCheckInterval = interval;
            return this;
        }

        /**
         * Sets the connection attempts before ejection.
         *
         * @param retries 0..1000; default 3
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        /**
         * Sets the idle time after which a link is pinged.
         *
         * @param interval positive; default 150 ms
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /**
         * Sets the time a ping may go unanswered.
         *
         * @param timeout positive; default 250 ms
         * @return this builder
         */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = timeout;
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param timeout positive; default 5 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the number of warm standby connections: open, joined to the rooms, and written a copy
         * of every message sent, so that a failover needs no handshake and members on a standby's
         * relay hear the session live.
         *
         * @param count 0..4; default 1
         * @return this builder
         */
        public Builder standbyCount(int count) {
            this.standbyCount = count;
            return this;
        }

        /**
         * Sets the outbox bounds.
         *
         * @param maxMessages 1..10,000,000; default 10,000
         * @param maxBytes    payload bytes, at least {@code maxMessageBytes}; default 16 MiB
         * @return this builder
         */
        public Builder outboxLimits(int maxMessages, long maxBytes) {
            this.outboxMaxMessages = maxMessages;
            this.outboxMaxBytes = maxBytes;
            return this;
        }

        /**
         * Sets the most messages the outbox holds.
         *
         * @param maxMessages 1..10,000,000; default 10,000
         * @return this builder
         */
        public Builder outboxMaxMessages(int maxMessages) {
            this.outboxMaxMessages = maxMessages;
            return this;
        }

        /**
         * Sets the most payload bytes the outbox holds.
         *
         * @param maxBytes at least {@code maxMessageBytes}; default 16 MiB
         * @return this builder
         */
        public Builder outboxMaxBytes(long maxBytes) {
            this.outboxMaxBytes = maxBytes;
            return this;
        }

        /**
         * Sets the first reconnect delay.
         *
         * @param initial positive; default 100 ms
         * @return this builder
         */
        public Builder backoffInitial(Duration initial) {
            this.backoffInitial = initial;
            return this;
        }

        /**
         * Sets the cap of the reconnect delay.
         *
         * @param max at least {@code backoffInitial}; default 30 s
         * @return this builder
         */
        public Builder backoffMax(Duration max) {
            this.backoffMax = max;
            return this;
        }

        /**
         * Sets how long inbound ids are remembered.
         *
         * @param window positive; default 10 min
         * @return this builder
         */
        public Builder dedupWindow(Duration window) {
            this.dedupWindow = window;
            return this;
        }

        /**
         * Sets how many inbound ids are remembered.
         *
         * @param maxEntries 1,000..100,000,000; default 100,000
         * @return this builder
         */
        public Builder dedupMaxEntries(int maxEntries) {
            this.dedupMaxEntries = maxEntries;
            return this;
        }

        /**
         * Sets the largest message and frame size.
         *
         * @param bytes 1 KiB..64 MiB; default 1 MiB
         * @return this builder
         */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
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
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /**
         * Sets the period after which a connection counts as stable (its relay's backoff and
         * ejection count reset) and, with session affinity, after which a session without
         * failover moves its standbys to the room's next choices.
         *
         * @param period positive; default 30 s
         * @return this builder
         */
        public Builder stablePeriod(Duration period) {
            this.stablePeriod = period;
            return this;
        }

        /**
         * Sets the base ejection time.
         *
         * @param time positive; default 10 s
         * @return this builder
         */
        public Builder ejectionTime(Duration time) {
            this.ejectionTime = time;
            return this;
        }

        /**
         * Sets the dedup memory.
         *
         * @param window     how long ids are kept, positive; default 10 min
         * @param maxEntries 1,000..100,000,000; default 100,000
         * @return this builder
         */
        public Builder dedup(Duration window, int maxEntries) {
            this.dedupWindow = window;
            this.dedupMaxEntries = maxEntries;
            return this;
        }

        /**
         * Sets the allowed URL schemes.
         *
         * @param schemes a subset of {@code {"ws", "wss"}}; default {@code {"wss"}}
         * @return this builder
         */
        public Builder allowedSchemes(Set<String> schemes) {
            this.allowedSchemes = Set.copyOf(schemes);
            return this;
        }

        /**
         * Allows discovered relays at private, loopback and similar addresses.
         *
         * @param allow default false
         * @return this builder
         */
        public Builder allowPrivateAddresses(boolean allow) {
            this.allowPrivateAddresses = allow;
            return this;
        }

        /**
         * Sets this client's region.
         *
         * @param region e.g. {@code "eu-west"}, or {@code ""} (default) to infer it
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * Sets the sender id.
         *
         * @param sender up to 256 characters, or {@code ""} (default) for a random id per start
         * @return this builder
         */
        public Builder sender(String sender) {
            this.sender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /**
         * Sets the discovery sources.
         *
         * @param sources at least one, distinct names; default {@code [static]}
         * @return this builder
         */
        public Builder discovery(List<ProviderChoice> sources) {
            this.discovery = List.copyOf(sources);
            return this;
        }

        /**
         * Sets the protocol.
         *
         * @param protocol default {@code solconnect-sync}
         * @return this builder
         */
        public Builder protocol(ProviderChoice protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
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
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets the store.
         *
         * @param store default {@code file}
         * @return this builder
         */
        public Builder store(ProviderChoice store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets the health scorer.
         *
         * @param scorer default {@code default}
         * @return this builder
         */
        public Builder healthScorer(ProviderChoice scorer) {
            this.healthScorer = Objects.requireNonNull(scorer, "healthScorer");
            return this;
        }

        /**
         * Builds and validates the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException whose message starts with the bad field's name
         */
        public RelayConfig build() {
            return new RelayConfig(relays, selectionStrategy, failoverThreshold, healthCheckInterval, maxRetries,
                    pingInterval, pingTimeout, connectTimeout, standbyCount, outboxMaxMessages, outboxMaxBytes,
                    maxMessageBytes, backoffInitial, backoffMax, stablePeriod, ejectionTime, dedupWindow,
                    dedupMaxEntries, allowedSchemes, allowPrivateAddresses, region, sender, discovery, protocol,
                    transport, store, healthScorer);
        }
    }
}
