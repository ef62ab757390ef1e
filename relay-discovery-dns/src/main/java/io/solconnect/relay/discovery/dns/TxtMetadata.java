package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.Untrusted;
import org.xbill.DNS.TXTRecord;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Relay metadata read from the TXT records at an SRV target: {@code key=value} strings for
 * {@code region}, {@code maxConnections}, {@code scheme} and {@code path}. Strings without
 * {@code =} and unknown keys are ignored, so the target's other TXT records (SPF, ...) do not
 * matter. Immutable.
 *
 * @param region         the region, or {@code ""}
 * @param maxConnections the capacity, or empty for the default
 * @param scheme         {@code wss} (default) or {@code ws}
 * @param path           the URL path, default {@code /}
 */
record TxtMetadata(String region, Optional<Integer> maxConnections, String scheme, String path) {

    static final TxtMetadata DEFAULTS = new TxtMetadata("", Optional.empty(), "wss", "/");

    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9/._~%!$&'()*+,;=:@-]{0,255}");

    /**
     * Parses the TXT records of one target; any hostile string refuses the whole entry.
     *
     * @param records the TXT records at the target
     * @return the metadata, or a {@code BAD_INPUT} error saying what was wrong
     */
    static Result<TxtMetadata> parse(List<TXTRecord> records) {
        Map<String, String> seen = new HashMap<>();
        for (TXTRecord txt : records) {
            for (byte[] raw : txt.getStringsAsByteArrays()) {
                for (byte b : raw) {
                    int v = b & 0xff;
                    if (v < 0x20 || v == 0x7f) {
                        return bad("TXT string holds a control character (0x" + Integer.toHexString(v)
                                + "; CR, LF and NUL are refused)");
                    }
                    if (v >= 0x80) {
                        return bad("TXT string holds a non-ASCII byte (0x" + Integer.toHexString(v) + ")");
                    }
                }
                String s = new String(raw, StandardCharsets.US_ASCII);
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = s.substring(0, eq);
                String value = s.substring(eq + 1);
                if (!key.equals("region") && !key.equals("maxConnections") && !key.equals("scheme")
                        && !key.equals("path")) {
                    continue;
                }
                String before = seen.putIfAbsent(key, value);
                if (before != null && !before.equals(value)) {
                    return bad("TXT key '" + key + "' is given twice with different values");
                }
            }
        }
        String region = seen.getOrDefault("region", "");
        if (!region.isEmpty()) {
            if (!REGION.matcher(region).matches()) {
                return bad("TXT region '" + Untrusted.printable(region) + "' must be 1..64 letters, digits, '.', '_' or '-'");
            }
        }
        Optional<Integer> max = Optional.empty();
        if (seen.containsKey("maxConnections")) {
            String m = seen.get("maxConnections");
            int v = -1;
            if (m.length() <= 9 && !m.isEmpty() && m.chars().allMatch(c -> c >= '0' && c <= '9')) {
                v = Integer.parseInt(m);
            }
            if (v < 1 || v > DiscoveryResult.MAX_CONNECTIONS) {
                return bad("TXT maxConnections must be an integer in 1.." + DiscoveryResult.MAX_CONNECTIONS
                        + ", was '" + m + "'");
            }
            max = Optional.of(v);
        }
        String scheme = seen.getOrDefault("scheme", "wss");
        if (!scheme.equals("wss") && !scheme.equals("ws")) {
            return bad("TXT scheme must be wss or ws, was '" + scheme + "'");
        }
        String path = seen.getOrDefault("path", "/");
        if (!PATH.matcher(path).matches()) {
            return bad("TXT path must start with '/' and hold at most 256 URL path characters, was '" + path + "'");
        }
        return Result.ok(new TxtMetadata(region, max, scheme, path));
    }

    private static Result<TxtMetadata> bad(String message) {
        return Result.err(ErrorCode.BAD_INPUT, message);
    }
}
