package io.solconnect.relay.ui.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's security rules for one start: which {@code Host} and {@code Origin} values are
 * accepted (against DNS rebinding and cross-site requests), which paths are well formed, and the
 * per-start token that every change must carry. Immutable and thread-safe.
 */
final class RequestPolicy {

    /** The request header that carries the token. */
    static final String TOKEN_HEADER = "X-Relay-Token";

    /** Longest request URI accepted, in characters. */
    static final int MAX_URI_CHARS = 2048;

    /** Plain path segments only: no percent-escapes, backslashes or dot segments. */
    private static final Pattern SAFE_PATH = Pattern.compile("/|(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

    private final Set<String> hosts;
    private final Set<String> origins;
    private final byte[] token;

    RequestPolicy(InetAddress bound, int port, Set<String> extraHosts, String token) {
        Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "localhost", "[::1]"));
        if (!bound.isAnyLocalAddress()) {
            names.add(literal(bound));
        }
        names.addAll(extraHosts);
        Set<String> h = new LinkedHashSet<>();
        Set<String> o = new LinkedHashSet<>();
        for (String name : names) {
            h.add(name + ":" + port);
            o.add("http://" + name + ":" + port);
        }
        this.hosts = Set.copyOf(h);
        this.origins = Set.copyOf(o);
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Accepts exactly one {@code Host} header naming an allowed host and the bound port.
     *
     * @param values the header values, null when absent
     * @return true if allowed
     */
    boolean hostAllowed(List<String> values) {
        return values != null && values.size() == 1 && hosts.contains(values.get(0).trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Accepts a request without {@code Origin}, or with exactly one that equals an allowed origin
     * ({@code "null"} and any other scheme, host or port are refused).
     *
     * @param values the header values, null when absent
     * @return true if allowed
     */
    boolean originAllowed(List<String> values) {
        if (values == null || values.isEmpty()) {
            return true;
        }
        return values.size() == 1 && origins.contains(values.get(0).trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Tells whether a raw (still percent-encoded) path is a plain path this server could serve.
     *
     * @param rawPath the raw path
     * @return true for plain segments of letters, digits, {@code . _ -}, none starting with a dot
     */
    static boolean pathWellFormed(String rawPath) {
        return rawPath != null && rawPath.length() <= MAX_URI_CHARS && SAFE_PATH.matcher(rawPath).matches();
    }

    /**
     * Compares a presented token with this start's token in constant time.
     *
     * @param presented the header value, null when absent
     * @return true if it matches
     */
    boolean tokenMatches(String presented) {
        return presented != null
                && MessageDigest.isEqual(token, presented.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        return address instanceof Inet6Address ? "[" + text.toLowerCase(Locale.ROOT) + "]" : text;
    }
}
