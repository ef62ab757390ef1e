package io.solconnect.relay.ui.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How a {@link StatusServer} listens and what it lets callers do. Immutable and thread-safe; build
 * one with {@link #builder()} or take {@link #ofDefaults()}.
 *
 * @param port              the TCP port, or 0 for an ephemeral one chosen by the OS; 0..65535;
 *                          default 0
 * @param bindAddress       the local address to listen on; default 127.0.0.1. A non-loopback
 *                          address is refused unless {@code allowNonLoopback} is set.
 * @param allowNonLoopback  whether {@code bindAddress} may be a non-loopback address (exposing the
 *                          page to the network); default false
 * @param readOnly          when true every change (settings, relays) is refused with 403 and the
 *                          settings page only shows the configuration; default false
 * @param maxRequestBytes   largest request body accepted, in bytes; larger requests get 413;
 *                          1,024..16 MiB; default 64 KiB
 * @param allowedHosts      extra host names (without port) accepted in the {@code Host} and
 *                          {@code Origin} headers besides {@code localhost}, {@code 127.0.0.1},
 *                          {@code [::1]} and the bound address, e.g. the machine's name when bound
 *                          to a network interface; lower-cased; default empty
 * @param requestReadTimeout a client that has not sent its request line and headers this long
 *                          after its connection was taken up is disconnected (against slow
 *                          clients holding the workers); 100 ms..10 min; default 10 s
 */
public record StatusServerOptions(int port, InetAddress bindAddress, boolean allowNonLoopback, boolean readOnly,
                                  int maxRequestBytes, Set<String> allowedHosts, Duration requestReadTimeout) {

    /** Default {@link #requestReadTimeout()}: 10 s. */
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

    /** Default {@link #maxRequestBytes()}: 64 KiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,252})|\\[[0-9a-f:.]{2,45}\\]");

    /**
     * Validates and copies the components.
     *
     * @param port             the TCP port, 0 for ephemeral
     * @param bindAddress      the local address to listen on
     * @param allowNonLoopback whether a non-loopback bind address is allowed
     * @param readOnly         whether changes are refused
     * @param maxRequestBytes  largest request body, in bytes
     * @param allowedHosts     extra accepted host names
     * @param requestReadTimeout how long a client may take to send its request line and headers
     * @throws IllegalArgumentException naming the bad value
     * @throws NullPointerException     if a component is null
     */
    public StatusServerOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(requestReadTimeout, "requestReadTimeout");
        checkReadTimeout(requestReadTimeout);
        Objects.requireNonNull(allowedHosts, "allowedHosts");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (!bindAddress.isLoopbackAddress() && !allowNonLoopback) {
            throw new IllegalArgumentException("bindAddress must be a loopback address unless allowNonLoopback is set, was "
                    + bindAddress.getHostAddress());
        }
        if (maxRequestBytes < 1024 || maxRequestBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be in 1024..16777216, was " + maxRequestBytes);
        }
        Set<String> hosts = new TreeSet<>();
        for (String h : allowedHosts) {
            String host = Objects.requireNonNull(h, "allowedHosts element").toLowerCase(Locale.ROOT);
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("allowedHosts must hold host names without port, was '" + h + "'");
            }
            hosts.add(host);
        }
        allowedHosts = Set.copyOf(hosts);
    }

    private static void checkReadTimeout(Duration d) {
        if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("requestReadTimeout must be in 100ms..10m, was " + d);
        }
    }

    /**
     * The defaults: ephemeral port on 127.0.0.1, changes allowed with the token, 64 KiB requests,
     * 10 s to send a request.
     *
     * @return the default options
     */
    public static StatusServerOptions ofDefaults() {
        return builder().build();
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link StatusServerOptions}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private int port;
        private InetAddress bindAddress = ipv4Loopback();
        private boolean allowNonLoopback;
        private boolean readOnly;
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Set<String> allowedHosts = Set.of();
        private Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the port.
         *
         * @param port 0..65535, 0 for an ephemeral port
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the address to listen on.
         *
         * @param address the local address; non-loopback needs {@link #allowNonLoopback(boolean)}
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Allows or forbids a non-loopback bind address.
         *
         * @param allow true to allow exposing the page beyond this machine
         * @return this builder
         */
        public Builder allowNonLoopback(boolean allow) {
            this.allowNonLoopback = allow;
            return this;
        }

        /**
         * Turns read-only mode on or off.
         *
         * @param readOnly true to refuse every change
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Sets the largest request body.
         *
         * @param bytes 1,024..16,777,216
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxRequestBytes(int bytes) {
            if (bytes < 1024 || bytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be in 1024..16777216, was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * Sets the extra host names accepted in {@code Host}/{@code Origin}.
         *
         * @param hosts host names without port
         * @return this builder
         */
        public Builder allowedHosts(Set<String> hosts) {
            this.allowedHosts = Set.copyOf(hosts);
            return this;
        }

        /**
         * Sets how long a client may take to send its request line and headers.
         *
         * @param timeout 100 ms..10 min
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder requestReadTimeout(Duration timeout) {
            checkReadTimeout(Objects.requireNonNull(timeout, "timeout"));
            this.requestReadTimeout = timeout;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a non-loopback address is set without allowing it, or
         *                                  a host name is malformed
         */
        public StatusServerOptions build() {
            return new StatusServerOptions(port, bindAddress, allowNonLoopback, readOnly, maxRequestBytes, allowedHosts,
                    requestReadTimeout);
        }
    }

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always accepted", e);
        }
    }
}
