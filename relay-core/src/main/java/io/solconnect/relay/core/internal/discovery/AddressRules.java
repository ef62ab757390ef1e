package io.solconnect.relay.core.internal.discovery;

import io.solconnect.relay.api.spi.Untrusted;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The address policy for relays found by discovery: which host names and IP addresses a client
 * may be sent to. Discovery results are untrusted, so a DNS zone or bootstrap file must not be
 * able to point a client at the machine it runs on, at the local network, or at a host name that
 * only means something inside it. Stateless and thread-safe; no method does I/O.
 *
 * <p>Refused unless {@link io.solconnect.relay.api.SecurityConfig#allowPrivateAddresses()} is set
 * ("private" ranges):
 * <ul>
 *   <li>IPv4 loopback {@code 127/8}, private {@code 10/8}, {@code 172.16/12}, {@code 192.168/16},
 *       CGNAT {@code 100.64/10}, IETF protocol assignments
 *       {@code 192.0.0/24}, benchmarking {@code 198.18/15};</li>
 *   <li>IPv6 loopback {@code ::1}, IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible
 *       {@code ::/96}, unique-local {@code fc00::/7}, link-local {@code fe80::/10}, site-local
 *       {@code fec0::/10}, local-use NAT64 {@code 64:ff9b:1::/48}, Teredo {@code 2001::/32}, and
 *       NAT64 {@code 64:ff9b::/96} or 6to4 {@code 2002::/16} addresses whose embedded IPv4
 *       address is itself refused;</li>
 *   <li>host names that only resolve locally: {@code localhost}, {@code *.localhost},
 *       {@code *.local}, {@code *.internal}, {@code *.lan}, {@code *.home.arpa}, {@code *.intranet},
 *       {@code *.corp}, {@code *.private}, and single-label names (which go through the local
 *       search domains).</li>
 * </ul>
 * Refused always, even with {@code allowPrivateAddresses}, because they reach cloud instance
 * metadata services (credentials): link-local {@code 169.254/16} (AWS, GCP, Azure
 * {@code 169.254.169.254}, ECS {@code 169.254.170.2}), Alibaba {@code 100.100.100.200},
 * AWS IPv6 {@code fd00:ec2::254}, and these embedded in IPv4-mapped, NAT64 or 6to4 addresses.
 * Refused always, because no relay can live there: unspecified ({@code 0/8}, {@code ::}),
 * multicast ({@code 224/4}, {@code ff00::/8}), reserved and broadcast ({@code 240/4}), the IPv6
 * discard prefix {@code 100::/64}, scoped IPv6 literals ({@code %eth0}), and numeric host forms
 * other than a dotted-quad IPv4 literal ({@code 2130706433}, {@code 0x7f.1}), which resolvers read
 * in surprising ways.
 *
 * <p>Host name syntax (always checked): at most 253 characters (plus an optional final dot),
 * labels of 1..63 letters, digits and hyphens, not starting or ending with a hyphen.
 *
 * <p>Used by {@link RelayAdmission}, which the relay pool applies to every discovery source, and by
 * {@link ConnectGuard}, which transports apply to every address they resolve at connect time (a
 * check at discovery time alone cannot stop a name that resolves differently later: DNS rebinding).
 */
final class AddressRules {

    /** Longest host name accepted, in characters, without the optional final dot. */
    public static final int MAX_HOST_LENGTH = 253;

    /** Longest label of a host name, in characters. */
    public static final int MAX_LABEL_LENGTH = 63;

    private static final String[] LOCAL_SUFFIXES = {
        "localhost", "local", "internal", "lan", "home.arpa", "intranet", "corp", "private"
    };

    private AddressRules() {
    }

    /**
     * Checks a host name's syntax only (length, label length, characters). IP literals are not host
     * names and fail this check.
     *
     * @param host the name, e.g. {@code "relay1.example.org"}, with or without a final dot
     * @return why it is not a valid host name, or empty when it is
     */
    public static Optional<String> hostNameProblem(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.of("host name is empty");
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.length() > MAX_HOST_LENGTH) {
            return Optional.of("host name is " + h.length() + " characters long, more than " + MAX_HOST_LENGTH);
        }
        if (h.isEmpty()) {
            return Optional.of("host name is only a dot");
        }
        String[] labels = h.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return Optional.of("host name '" + Untrusted.printable(h) + "' has an empty label");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                return Optional.of("host name has a label of " + label.length() + " characters, more than "
                        + MAX_LABEL_LENGTH);
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return Optional.of("host name '" + Untrusted.printable(h)
                            + "' may hold only letters, digits, '-' and '.'");
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return Optional.of("host name '" + h + "' has a label starting or ending with '-'");
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the host part of a relay URL: an IPv4 literal, a bracketed IPv6 literal, or a host
     * name. Makes no DNS lookup; a name's addresses are checked with {@link #refusedAddress} by the
     * source that resolves it.
     *
     * @param host         the host as {@link java.net.URI#getHost()} returns it
     * @param allowPrivate true to accept the private ranges and local names listed in the class
     *                     documentation (never the always-refused ones)
     * @return why the host is refused, or empty when it is acceptable
     */
    public static Optional<String> refusedHost(String host, boolean allowPrivate) {
        if (host == null || host.isEmpty()) {
            return Optional.of("no host");
        }
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return refusedIpv6Literal(host, allowPrivate);
        }
        Optional<byte[]> v4 = parseDottedQuad(host);
        if (v4.isPresent()) {
            return refusedBytes(host, v4.get(), allowPrivate);
        }
        Optional<String> syntax = hostNameProblem(host);
        if (syntax.isPresent()) {
            return syntax;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (looksNumeric(h)) {
            return Optional.of("host '" + h + "' is a numeric form that is not a dotted-quad IPv4 address");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        for (String suffix : LOCAL_SUFFIXES) {
            if (h.equals(suffix) || h.endsWith("." + suffix)) {
                return Optional.of("host '" + h + "' is in the local-only domain '" + suffix
                        + "' (allowPrivateAddresses is off)");
            }
        }
        if (h.indexOf('.') < 0) {
            return Optional.of("host '" + h + "' is a single-label name, resolved only through local search "
                    + "domains (allowPrivateAddresses is off)");
        }
        return Optional.empty();
    }

    /**
     * Checks a resolved address of a relay.
     *
     * @param address      the address
     * @param allowPrivate true to accept private ranges (never the always-refused ones)
     * @return why the address is refused, or empty when it is acceptable
     */
    public static Optional<String> refusedAddress(InetAddress address, boolean allowPrivate) {
        return refusedBytes(address.getHostAddress(), address.getAddress(), allowPrivate);
    }

    /**
     * Names the special-purpose range an address belongs to.
     *
     * @param address 4 (IPv4) or 16 (IPv6) bytes, network order
     * @return e.g. {@code "private 10.0.0.0/8"}, or empty for an ordinary public address
     * @throws IllegalArgumentException if the array is neither 4 nor 16 bytes long
     */
    public static Optional<String> specialRange(byte[] address) {
        return range(address).map(Range::name);
    }

    private static Optional<String> refusedBytes(String shown, byte[] bytes, boolean allowPrivate) {
        Optional<Range> r = range(bytes);
        if (r.isEmpty() || (allowPrivate && !r.get().always())) {
            return Optional.empty();
        }
        return Optional.of("address " + shown + " is in the " + r.get().name() + " range"
                + (r.get().always() ? "" : " (allowPrivateAddresses is off)"));
    }

    private static Optional<String> refusedIpv6Literal(String host, boolean allowPrivate) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        } else if (h.startsWith("[") || h.endsWith("]")) {
            return Optional.of("host '" + Untrusted.printable(host) + "' has unbalanced brackets");
        }
        if (h.indexOf('%') >= 0) {
            return Optional.of("host '" + Untrusted.printable(host) + "' is a scoped IPv6 address");
        }
        if (h.isEmpty() || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                || h.indexOf(':') < 0) {
            return Optional.of("host '" + Untrusted.printable(host) + "' is not a valid IPv6 literal");
        }
        InetAddress parsed;
        try {
            // Only hex digits, ':' and '.' reach here, so this parses a literal and never looks up a name.
            parsed = InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return Optional.of("host '" + Untrusted.printable(host) + "' is not a valid IPv6 literal");
        }
        if (parsed instanceof Inet4Address) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; written as IPv6 it was IPv4-mapped.
            if (!allowPrivate) {
                return Optional.of("address " + h + " is in the IPv4-mapped ::ffff:0:0/96 range"
                        + " (allowPrivateAddresses is off)");
            }
            return refusedBytes(h, parsed.getAddress(), true);
        }
        return refusedBytes(h, parsed.getAddress(), allowPrivate);
    }

    /** Strict dotted quad: four decimal parts 0..255 without leading zeros. */
    private static Optional<byte[]> parseDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            b[i] = (byte) v;
        }
        return Optional.of(b);
    }

    /** True when every label is decimal, octal or hex digits: inet_aton would read it as IPv4. */
    private static boolean looksNumeric(String h) {
        String[] labels = h.split("\\.");
        String last = labels[labels.length - 1];
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        for (String l : labels) {
            boolean dec = l.chars().allMatch(c -> c >= '0' && c <= '9');
            boolean hex = l.startsWith("0x") && l.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
            if (!dec && !hex) {
                return false;
            }
        }
        return true;
    }

    private record Range(String name, boolean always) {
    }

    private static Optional<Range> range(byte[] a) {
        if (a.length == 4) {
            return range4(a);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, was " + a.length);
        }
        return range6(a);
    }

    private static Optional<Range> range4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        if (b0 == 0) {
            return Optional.of(new Range("unspecified 0.0.0.0/8", true));
        }
        if (b0 == 10) {
            return Optional.of(new Range("private 10.0.0.0/8", false));
        }
        if (b0 == 127) {
            return Optional.of(new Range("loopback 127.0.0.0/8", false));
        }
        if (b0 == 169 && b1 == 254) {
            // Cloud instance metadata (169.254.169.254, 169.254.170.2) lives here: never a relay.
            return Optional.of(new Range("link-local and cloud metadata 169.254.0.0/16", true));
        }
        if (b0 == 100 && b1 == 100 && b2 == 100 && (a[3] & 0xff) == 200) {
            return Optional.of(new Range("cloud metadata 100.100.100.200/32", true));
        }
        if (b0 == 172 && (b1 & 0xf0) == 16) {
            return Optional.of(new Range("private 172.16.0.0/12", false));
        }
        if (b0 == 192 && b1 == 168) {
            return Optional.of(new Range("private 192.168.0.0/16", false));
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return Optional.of(new Range("CGNAT 100.64.0.0/10", false));
        }
        if (b0 == 192 && b1 == 0 && b2 == 0) {
            return Optional.of(new Range("IETF protocol assignments 192.0.0.0/24", false));
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return Optional.of(new Range("benchmarking 198.18.0.0/15", false));
        }
        if ((b0 & 0xf0) == 224) {
            return Optional.of(new Range("multicast 224.0.0.0/4", true));
        }
        if ((b0 & 0xf0) == 240) {
            return Optional.of(new Range("reserved 240.0.0.0/4", true));
        }
        return Optional.empty();
    }

    private static Optional<Range> range6(byte[] a) {
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= a[i] == 0;
        }
        if (first10Zero && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            Optional<Range> inner = range4(new byte[] {a[12], a[13], a[14], a[15]});
            if (inner.isPresent() && inner.get().always()) {
                return Optional.of(new Range("IPv4-mapped ::ffff:0:0/96 of " + inner.get().name(), true));
            }
            return Optional.of(new Range("IPv4-mapped ::ffff:0:0/96", false));
        }
        if (first10Zero && a[10] == 0 && a[11] == 0) {
            boolean rest = true;
            for (int i = 12; i < 15; i++) {
                rest &= a[i] == 0;
            }
            if (rest && a[15] == 0) {
                return Optional.of(new Range("unspecified ::/128", true));
            }
            if (rest && a[15] == 1) {
                return Optional.of(new Range("loopback ::1/128", false));
            }
            return Optional.of(new Range("IPv4-compatible ::/96", false));
        }
        int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        int w1 = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        int w2 = ((a[4] & 0xff) << 8) | (a[5] & 0xff);
        if ((w0 & 0xff00) == 0xff00) {
            return Optional.of(new Range("multicast ff00::/8", true));
        }
        if (w0 == 0xfd00 && w1 == 0x0ec2 && isEc2MetadataTail(a)) {
            return Optional.of(new Range("cloud metadata fd00:ec2::254/128", true));
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return Optional.of(new Range("unique-local fc00::/7", false));
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return Optional.of(new Range("link-local fe80::/10", false));
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return Optional.of(new Range("site-local fec0::/10", false));
        }
        if (w0 == 0x0100 && w1 == 0 && w2 == 0 && a[6] == 0 && a[7] == 0) {
            return Optional.of(new Range("discard-only 100::/64", true));
        }
        if (w0 == 0x2001 && w1 == 0) {
            return Optional.of(new Range("Teredo 2001::/32", false));
        }
        if (w0 == 0x0064 && w1 == 0xff9b && w2 == 1) {
            return Optional.of(new Range("local-use NAT64 64:ff9b:1::/48", false));
        }
        if (w0 == 0x0064 && w1 == 0xff9b) {
            boolean zero = true;
            for (int i = 4; i < 12; i++) {
                zero &= a[i] == 0;
            }
            if (zero) {
                return embedded("NAT64 64:ff9b::/96", new byte[] {a[12], a[13], a[14], a[15]});
            }
        }
        if (w0 == 0x2002) {
            return embedded("6to4 2002::/16", new byte[] {a[2], a[3], a[4], a[5]});
        }
        return Optional.empty();
    }

    /** fd00:ec2:0:0:0:0:0:254 after the first two words. */
    private static boolean isEc2MetadataTail(byte[] a) {
        for (int i = 4; i < 14; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[14] == 0x02 && (a[15] & 0xff) == 0x54;
    }

    private static Optional<Range> embedded(String prefix, byte[] v4) {
        return range4(v4).map(r -> new Range(prefix + " of " + r.name(), r.always()));
    }
}
