package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.Untrusted;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The checked settings of one {@code dns} source (documented on {@link DnsDiscoveryProvider}).
 *
 * @param queryName  {@code <service>.<domain>} without the final dot
 * @param resolver   the DNS server, or empty for the system's
 * @param timeout    per-query limit
 * @param deadline   limit on one whole lookup (every query of it)
 * @param maxRelays  cap on relays per lookup
 * @param minRefresh lower clamp of the TTL
 * @param maxRefresh upper clamp of the TTL
 * @param retryAfter next lookup after a failure
 */
record DnsSettings(String queryName, Optional<InetSocketAddress> resolver, Duration timeout, Duration deadline,
                   int maxRelays, Duration minRefresh, Duration maxRefresh, Duration retryAfter) {

    private static final int MAX_LABEL_LENGTH = 63;
    private static final Pattern LDH_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");

    static final Set<String> KEYS = Set.of("domain", "service", "resolver", "timeout", "deadline", "maxRelays",
            "minRefresh", "maxRefresh", "retryAfter");

    /** The default limit on one whole lookup. */
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    /** The shortest deadline accepted; shorter ones could not even wait for one answer. */
    static final Duration MIN_DEADLINE = Duration.ofMillis(100);

    /** SRV records examined per lookup, at most: 4 x {@code maxRelays}, refused ones included. */
    int maxExamined() {
        return 4 * maxRelays;
    }

    static Result<DnsSettings> parse(PluginContext ctx) {
        String p = ctx.providerName() + ".";
        for (String key : ctx.settings().keySet()) {
            if (!KEYS.contains(key)) {
                return bad(p + key + " is not a setting of this provider; known: " + new TreeSet<>(KEYS));
            }
        }
        Optional<String> domain = ctx.setting("domain").map(String::strip);
        if (domain.isEmpty() || domain.get().isEmpty()) {
            return bad(p + "domain is required, e.g. 'relays.example.org'");
        }
        Optional<String> domainProblem = domainProblem(domain.get());
        if (domainProblem.isPresent()) {
            return bad(p + "domain is not a valid domain name: " + domainProblem.get());
        }
        String service = ctx.setting("service").map(String::strip).orElse("_solconnect-relay._tcp");
        if (!service.matches("(_[A-Za-z0-9-]{1,62}\\.)*_[A-Za-z0-9-]{1,62}")) {
            return bad(p + "service must look like '_solconnect-relay._tcp', was '"
                    + Untrusted.printable(service) + "'");
        }
        String d = domain.get().endsWith(".") ? domain.get().substring(0, domain.get().length() - 1) : domain.get();
        String queryName = service + "." + d;
        if (queryName.length() > MAX_NAME_LENGTH) {
            return bad(p + "service + domain is " + queryName.length() + " characters, more than "
                    + MAX_NAME_LENGTH);
        }
        Optional<InetSocketAddress> resolver = Optional.empty();
        if (ctx.setting("resolver").isPresent()) {
            Result<InetSocketAddress> r = resolver(p, ctx.setting("resolver").get().strip());
            if (!r.isOk()) {
                return Result.err(r.failure().orElseThrow());
            }
            resolver = r.toOptional();
        }
        Result<Duration> timeout = ctx.durationSetting("timeout", Duration.ofSeconds(3));
        Result<Duration> deadline = ctx.durationSetting("deadline", DEFAULT_DEADLINE);
        Result<Integer> maxRelays = ctx.intSetting("maxRelays", 64, 1, DiscoveryResult.MAX_RELAYS);
        Result<Duration> minRefresh = ctx.durationSetting("minRefresh", Duration.ofSeconds(5));
        Result<Duration> maxRefresh = ctx.durationSetting("maxRefresh", Duration.ofHours(1));
        Result<Duration> retryAfter = ctx.durationSetting("retryAfter", Duration.ofSeconds(30));
        for (Result<?> r : new Result<?>[] {timeout, deadline, maxRelays, minRefresh, maxRefresh, retryAfter}) {
            if (!r.isOk()) {
                return Result.err(r.failure().orElseThrow());
            }
        }
        if (maxRefresh.orElseThrow().compareTo(minRefresh.orElseThrow()) < 0) {
            return bad(p + "maxRefresh must be at least minRefresh (" + minRefresh.orElseThrow() + "), was "
                    + maxRefresh.orElseThrow());
        }
        if (deadline.orElseThrow().compareTo(MIN_DEADLINE) < 0) {
            return bad(p + "deadline must be at least " + MIN_DEADLINE.toMillis() + "ms, was " + deadline.orElseThrow());
        }
        return Result.ok(new DnsSettings(queryName, resolver, timeout.orElseThrow(), deadline.orElseThrow(),
                maxRelays.orElseThrow(),
                minRefresh.orElseThrow(), maxRefresh.orElseThrow(), retryAfter.orElseThrow()));
    }

    /** {@code ip}, {@code ip:port}, {@code [ipv6]} or {@code [ipv6]:port}; never a name (no lookup). */
    private static Result<InetSocketAddress> resolver(String p, String raw) {
        String host = raw;
        int port = 53;
        if (raw.startsWith("[")) {
            int close = raw.indexOf(']');
            if (close < 0) {
                return bad(p + "resolver '" + Untrusted.printable(raw) + "' lacks ']'");
            }
            host = raw.substring(1, close);
            String rest = raw.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return bad(p + "resolver must be ip, ip:port or [ipv6]:port, was '" + Untrusted.printable(raw) + "'");
                }
                Optional<Integer> parsed = port(rest.substring(1));
                if (parsed.isEmpty()) {
                    return bad(p + "resolver port must be in 1..65535, was '" + Untrusted.printable(raw) + "'");
                }
                port = parsed.get();
            }
        } else if (raw.indexOf(':') >= 0 && raw.indexOf(':') == raw.lastIndexOf(':')) {
            host = raw.substring(0, raw.indexOf(':'));
            Optional<Integer> parsed = port(raw.substring(raw.indexOf(':') + 1));
            if (parsed.isEmpty()) {
                return bad(p + "resolver port must be in 1..65535, was '" + Untrusted.printable(raw) + "'");
            }
            port = parsed.get();
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return bad(p + "resolver must be an IP address (no name lookup), was '" + Untrusted.printable(raw) + "'");
        }
        try {
            // Only hex digits, '.' and ':' reach here: a literal, never a name lookup.
            return Result.ok(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            return bad(p + "resolver is not a valid IP address: '" + Untrusted.printable(raw) + "'");
        }
    }

    private static Optional<Integer> port(String s) {
        try {
            int v = Integer.parseInt(s);
            return v >= 1 && v <= 65_535 ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Longest DNS name, in characters, without the final dot. */
    static final int MAX_NAME_LENGTH = 253;

    /** Why a domain is not a DNS name of labels of 1..63 letters, digits and inner hyphens, or empty. */
    private static Optional<String> domainProblem(String domain) {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty() || d.length() > MAX_NAME_LENGTH) {
            return Optional.of("it must have 1.." + MAX_NAME_LENGTH + " characters, had " + d.length());
        }
        for (String label : d.split("\\.", -1)) {
            if (label.length() > MAX_LABEL_LENGTH) {
                return Optional.of("host name has a label of " + label.length() + " characters, more than "
                        + MAX_LABEL_LENGTH);
            }
            if (!LDH_LABEL.matcher(label).matches()) {
                return Optional.of("'" + Untrusted.printable(d) + "' must be labels of letters, digits and '-'"
                        + " separated by '.', not starting or ending with '-'");
            }
        }
        return Optional.empty();
    }

    private static <T> Result<T> bad(String message) {
        return Result.err(ErrorCode.INVALID_CONFIG, message);
    }
}
