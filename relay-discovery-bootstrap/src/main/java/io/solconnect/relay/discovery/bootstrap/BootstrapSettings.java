package io.solconnect.relay.discovery.bootstrap;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.Untrusted;
import io.solconnect.relay.api.spi.PluginContext;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checked settings of one {@code bootstrap} source (documented on
 * {@link BootstrapDiscoveryProvider}).
 */
record BootstrapSettings(List<URI> urls, Duration timeout, int maxBytes, int maxRelays, Duration minRefresh,
                         Duration maxRefresh, Duration defaultRefresh, Duration retryAfter, boolean resolveHosts,
                         Optional<Path> truststore, char[] truststorePassword) {

    static final Set<String> KEYS = Set.of("urls", "timeout", "maxBytes", "maxRelays", "minRefresh", "maxRefresh",
            "defaultRefresh", "retryAfter", "resolveHosts", "truststore", "truststorePassword");
    static final int MAX_URLS = 8;

    BootstrapSettings {
        urls = List.copyOf(urls);
        truststorePassword = truststorePassword.clone();
    }

    static Result<BootstrapSettings> parse(PluginContext ctx) {
        String p = ctx.providerName() + ".";
        for (String key : ctx.settings().keySet()) {
            if (!KEYS.contains(key)) {
                return bad(p + key + " is not a setting of this provider; known: " + new TreeSet<>(KEYS));
            }
        }
        String raw = ctx.setting("urls").orElse("").strip();
        if (raw.isEmpty()) {
            return bad(p + "urls is required: one or more https:// URLs separated by commas");
        }
        List<URI> urls = new ArrayList<>();
        for (String part : raw.split(",")) {
            String s = part.strip();
            URI u;
            try {
                u = new URI(s);
            } catch (URISyntaxException e) {
                return bad(p + "urls holds an invalid URL '" + Untrusted.printable(s) + "': " + e.getReason());
            }
            if (u.getScheme() == null || !u.getScheme().toLowerCase(Locale.ROOT).equals("https") || u.isOpaque()) {
                return bad(p + "urls must be https:// URLs, had '" + Untrusted.printable(s) + "'");
            }
            if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawFragment() != null) {
                return bad(p + "urls must name a host and have no userinfo or fragment, had '"
                        + Untrusted.printable(s) + "'");
            }
            urls.add(u);
        }
        if (urls.size() > MAX_URLS) {
            return bad(p + "urls may list at most " + MAX_URLS + " URLs, had " + urls.size());
        }
        Result<Duration> timeout = ctx.durationSetting("timeout", Duration.ofSeconds(5));
        Result<Integer> maxBytes = ctx.intSetting("maxBytes", 1 << 20, 1024, 64 << 20);
        Result<Integer> maxRelays = ctx.intSetting("maxRelays", 64, 1, DiscoveryResult.MAX_RELAYS);
        Result<Duration> minRefresh = ctx.durationSetting("minRefresh", Duration.ofSeconds(30));
        Result<Duration> maxRefresh = ctx.durationSetting("maxRefresh", Duration.ofHours(1));
        Result<Duration> defaultRefresh = ctx.durationSetting("defaultRefresh", Duration.ofMinutes(5));
        Result<Duration> retryAfter = ctx.durationSetting("retryAfter", Duration.ofSeconds(30));
        for (Result<?> r : new Result<?>[] {timeout, maxBytes, maxRelays, minRefresh, maxRefresh, defaultRefresh,
            retryAfter}) {
            if (!r.isOk()) {
                return Result.err(r.failure().orElseThrow());
            }
        }
        if (maxRefresh.orElseThrow().compareTo(minRefresh.orElseThrow()) < 0) {
            return bad(p + "maxRefresh must be at least minRefresh (" + minRefresh.orElseThrow() + "), was "
                    + maxRefresh.orElseThrow());
        }
        String resolve = ctx.setting("resolveHosts").orElse("true").strip().toLowerCase(Locale.ROOT);
        if (!resolve.equals("true") && !resolve.equals("false")) {
            return bad(p + "resolveHosts must be true or false, was '" + Untrusted.printable(resolve) + "'");
        }
        Optional<Path> truststore = ctx.setting("truststore").map(String::strip).filter(s -> !s.isEmpty()).map(Path::of);
        if (truststore.isEmpty() && ctx.setting("truststorePassword").isPresent()) {
            return bad(p + "truststorePassword is set but truststore is not");
        }
        return Result.ok(new BootstrapSettings(urls, timeout.orElseThrow(), maxBytes.orElseThrow(),
                maxRelays.orElseThrow(), minRefresh.orElseThrow(), maxRefresh.orElseThrow(),
                defaultRefresh.orElseThrow(), retryAfter.orElseThrow(), resolve.equals("true"), truststore,
                ctx.setting("truststorePassword").orElse("").toCharArray()));
    }

    /** Clamps a refresh time to [minRefresh, maxRefresh]. */
    Duration clamp(Duration d) {
        if (d.compareTo(minRefresh) < 0) {
            return minRefresh;
        }
        return d.compareTo(maxRefresh) > 0 ? maxRefresh : d;
    }

    private static <T> Result<T> bad(String message) {
        return Result.err(ErrorCode.INVALID_CONFIG, message);
    }
}
