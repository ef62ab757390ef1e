package io.solconnect.relay.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One relay: its WebSocket URL and the metadata that selection uses. Immutable and thread-safe.
 *
 * <p>The constructor checks the URL's form only: scheme {@code ws} or {@code wss}, a host, no
 * userinfo, a port in 1..65535 when given, no fragment. Whether plain {@code ws://} is acceptable
 * for a given host is a policy question answered by {@link RelayConfig} (see
 * {@link SecurityConfig#allowedSchemes()}).
 *
 * @param url            the relay's {@code ws://} or {@code wss://} URL; the scheme and host are
 *                       normalised to lower case
 * @param region         the relay's region (e.g. {@code "eu-west"}), or {@code ""} when unknown
 * @param priority       lower is preferred, as in DNS SRV; 0..65535; default 0
 * @param maxConnections the relay's capacity in client connections, at least 1; default 10,000
 * @param weight         relative weight for weighted strategies, 0..65535; default 1
 * @param tags           free-form labels, copied; default empty
 */
public record RelayEndpoint(URI url, String region, int priority, int maxConnections, int weight, Set<String> tags) {

    /** Default {@link #maxConnections()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /**
     * Validates and normalises the components.
     *
     * @param url the relay's {@code ws://} or {@code wss://} URL; the scheme and host are normalised to lower case
     * @param region the relay's region (e.g. {@code "eu-west"}), or {@code ""} when unknown
     * @param priority lower is preferred, as in DNS SRV; 0..65535; default 0
     * @param maxConnections the relay's capacity in client connections, at least 1; default 10,000
     * @param weight relative weight for weighted strategies, 0..65535; default 1
     * @param tags free-form labels, copied; default empty
     * @throws IllegalArgumentException naming the bad value
     * @throws NullPointerException     if a component is null
     */
    public RelayEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(tags, "tags");
        url = normalise(url);
        if (priority < 0 || priority > 65_535) {
            throw new IllegalArgumentException("priority must be in 0..65535, was " + priority);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        if (weight < 0 || weight > 65_535) {
            throw new IllegalArgumentException("weight must be in 0..65535, was " + weight);
        }
        if (region.length() > 64) {
            throw new IllegalArgumentException("region must be at most 64 characters, was " + region.length());
        }
        tags = Set.copyOf(new TreeSet<>(tags));
    }

    /**
     * Creates an endpoint with default metadata.
     *
     * @param url the relay URL, e.g. {@code "wss://relay.example.org/ws"}
     * @return the endpoint
     * @throws IllegalArgumentException if the URL is malformed or not {@code ws}/{@code wss}
     */
    public static RelayEndpoint of(String url) {
        return builder(url).build();
    }

    /**
     * Starts a builder for the given URL.
     *
     * @param url the relay URL
     * @return a builder with default metadata
     * @throws IllegalArgumentException if the URL does not parse as a URI
     */
    public static Builder builder(String url) {
        return new Builder(parse(url));
    }

    /**
     * The stable identity of this relay: its normalised URL as a string. Two endpoints with the
     * same id are the same relay, whatever their metadata.
     *
     * @return the id
     */
    public String id() {
        return url.toString();
    }

    /**
     * Tells whether the URL uses TLS.
     *
     * @return true for {@code wss}
     */
    public boolean secure() {
        return "wss".equals(url.getScheme());
    }

    /**
     * The port the URL names, or the scheme's default (80 for ws, 443 for wss).
     *
     * @return the port
     */
    public int effectivePort() {
        return url.getPort() != -1 ? url.getPort() : secure() ? 443 : 80;
    }

    /**
     * Tells whether the host is a loopback name or literal ({@code localhost}, {@code 127.0.0.0/8},
     * {@code ::1}). No DNS lookup is made.
     *
     * @return true for a loopback host
     */
    public boolean loopback() {
        return isLoopbackHost(url.getHost());
    }

    /**
     * Returns a copy with another region.
     *
     * @param newRegion the region, {@code ""} for unknown
     * @return the copy
     */
    public RelayEndpoint withRegion(String newRegion) {
        return new RelayEndpoint(url, newRegion, priority, maxConnections, weight, tags);
    }

    /**
     * Tells whether a host string is a loopback name or literal, without a DNS lookup.
     *
     * @param host a host name or IP literal (IPv6 with or without brackets)
     * @return true for {@code localhost}, names ending {@code .localhost}, 127.0.0.0/8 and ::1
     */
    public static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static URI parse(String url) {
        Objects.requireNonNull(url, "url");
        try {
            return new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URI: " + e.getMessage(), e);
        }
    }

    private static URI normalise(URI url) {
        String scheme = url.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("url must start with ws:// or wss://, was '" + url + "'");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("url scheme must be ws or wss, was '" + scheme + "' in '" + url + "'");
        }
        if (url.isOpaque()) {
            throw new IllegalArgumentException("url must be hierarchical (ws://host/...), was '" + url + "'");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not contain userinfo, was '" + url.getHost() + "' with userinfo");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("url must name a host, was '" + url + "'");
        }
        int port = url.getPort();
        if (port == 0 || port > 65_535 || port < -1) {
            throw new IllegalArgumentException("url port must be in 1..65535, was " + port);
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not have a fragment, was '" + url + "'");
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        String hostPart = host.toLowerCase(Locale.ROOT);
        try {
            return new URI(scheme + "://" + hostPart + (port == -1 ? "" : ":" + port) + path + query);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URI: " + e.getMessage(), e);
        }
    }

    /** Builds a {@link RelayEndpoint}; not thread-safe. Each setter checks its argument at once. */
    public static final class Builder {
        private final URI url;
        private String region = "";
        private int priority;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int weight = 1;
        private Set<String> tags = Set.of();

        private Builder(URI url) {
            this.url = url;
        }

        /**
         * Sets the region.
         *
         * @param region e.g. {@code "us-east"}, {@code ""} for unknown (the default)
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * Sets the priority (lower is preferred).
         *
         * @param priority 0..65535, default 0
         * @return this builder
         */
        public Builder priority(int priority) {
            if (priority < 0 || priority > 65_535) {
                throw new IllegalArgumentException("priority must be in 0..65535, was " + priority);
            }
            this.priority = priority;
            return this;
        }

        /**
         * Sets the capacity in client connections.
         *
         * @param maxConnections at least 1, default {@value RelayEndpoint#DEFAULT_MAX_CONNECTIONS}
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Sets the relative weight.
         *
         * @param weight 0..65535, default 1
         * @return this builder
         */
        public Builder weight(int weight) {
            if (weight < 0 || weight > 65_535) {
                throw new IllegalArgumentException("weight must be in 0..65535, was " + weight);
            }
            this.weight = weight;
            return this;
        }

        /**
         * Sets the tags.
         *
         * @param tags labels, copied; default empty
         * @return this builder
         */
        public Builder tags(Set<String> tags) {
            this.tags = Set.copyOf(tags);
            return this;
        }

        /**
         * Builds the endpoint.
         *
         * @return the endpoint
         * @throws IllegalArgumentException if the URL is not acceptable
         */
        public RelayEndpoint build() {
            return new RelayEndpoint(url, region, priority, maxConnections, weight, tags);
        }
    }
}
