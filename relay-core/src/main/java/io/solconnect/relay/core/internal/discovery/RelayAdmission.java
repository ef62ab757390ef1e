package io.solconnect.relay.core.internal.discovery;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.RelayPolicy;
import io.solconnect.relay.api.spi.Untrusted;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The policy every relay from a discovery source passes before the pool uses it; the engine applies
 * it to every source's result, so a discovery plugin cannot forget it. Stateless and thread-safe.
 *
 * <p>A relay is refused, with a reason, when:
 * <ul>
 *   <li>its scheme is not allowed by {@link RelayConfig#schemeAllowed(RelayEndpoint)};</li>
 *   <li>(untrusted sources) its host, or an address the source resolved it to, is refused by
 *       {@link AddressRules} under {@link io.solconnect.relay.api.SecurityConfig#allowPrivateAddresses()};</li>
 *   <li>(untrusted sources) its region is not 1..64 letters, digits, {@code .}, {@code _} or
 *       {@code -}, or its {@code maxConnections} is over {@value DiscoveryResult#MAX_CONNECTIONS};</li>
 *   <li>it repeats a relay already admitted from this result;</li>
 *   <li>{@value DiscoveryResult#MAX_RELAYS} relays were already admitted from this result.</li>
 * </ul>
 * The only trusted source is the built-in {@code static} one: its relays were written by the
 * operator into the configuration, which is how tests and local set-ups name loopback relays.
 *
 * <p>As a {@link RelayPolicy} it is handed to discovery plugins, which may use it to skip work
 * (a name lookup) for a relay that would be refused anyway.
 */
public final class RelayAdmission implements RelayPolicy {

    /** Most rejection lines kept per result; the rest are counted in one summary line. */
    public static final int MAX_REJECTION_LINES = 20;

    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * The relays admitted from one result and why the others were not.
     *
     * @param relays     the admitted relays, in the source's order
     * @param rejections at most {@value #MAX_REJECTION_LINES} + 1 printable lines: the source's own
     *                   rejections first, then the engine's
     * @param refused    how many relays of the result the engine refused
     */
    public record Admitted(List<RelayEndpoint> relays, List<String> rejections, int refused) {
        /** Copies the lists. */
        public Admitted {
            relays = List.copyOf(relays);
            rejections = List.copyOf(rejections);
        }
    }

    private final RelayConfig config;

    /**
     * Creates the policy for one client.
     *
     * @param config holds the scheme and address settings (both restart-only)
     */
    public RelayAdmission(RelayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Checks a discovery result.
     *
     * @param result  what a source returned
     * @param trusted true only for the configuration's own relays (scheme check and duplicates only)
     * @return the admitted relays and the reasons for the others
     */
    public Admitted admit(DiscoveryResult result, boolean trusted) {
        return admit(result.relays(), result.addresses(), result.rejected(), trusted);
    }

    /**
     * Checks a list of relays, e.g. one saved by an earlier run.
     *
     * @param relays    the relays
     * @param addresses addresses a source resolved, by relay id
     * @param rejected  the source's own rejection lines, untrusted text
     * @param trusted   true only for the configuration's own relays
     * @return the admitted relays and the reasons for the others
     */
    public Admitted admit(List<RelayEndpoint> relays, Map<String, List<InetAddress>> addresses, List<String> rejected,
                          boolean trusted) {
        return admit(relays, addresses, rejected, relay -> trusted);
    }

    /**
     * Checks a list of relays, deciding trust relay by relay (the configuration's own relays are
     * trusted, relays set at run time through the same source are not).
     *
     * @param relays    the relays
     * @param addresses addresses a source resolved, by relay id
     * @param rejected  the source's own rejection lines, untrusted text
     * @param trusted   true for the relays the operator wrote into the configuration
     * @return the admitted relays and the reasons for the others
     */
    public Admitted admit(List<RelayEndpoint> relays, Map<String, List<InetAddress>> addresses, List<String> rejected,
                          Predicate<RelayEndpoint> trusted) {
        List<RelayEndpoint> ok = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int unlisted = 0;
        for (String line : rejected) {
            if (lines.size() < MAX_REJECTION_LINES) {
                lines.add(Untrusted.printable(line));
            } else {
                unlisted++;
            }
        }
        Set<String> ids = new HashSet<>();
        int refused = 0;
        int overCap = 0;
        for (RelayEndpoint relay : relays) {
            Optional<String> why = trusted.test(relay) ? schemeRefusal(relay)
                    : refusal(relay, addresses.getOrDefault(relay.id(), List.of()));
            if (why.isEmpty() && !ids.add(relay.id())) {
                why = Optional.of("duplicate of relay " + relay.id());
            }
            if (why.isEmpty() && ok.size() >= DiscoveryResult.MAX_RELAYS) {
                overCap++;
                refused++;
                continue;
            }
            if (why.isPresent()) {
                refused++;
                if (lines.size() < MAX_REJECTION_LINES) {
                    lines.add(Untrusted.printable(relay.id() + ": " + why.get()));
                } else {
                    unlisted++;
                }
                continue;
            }
            ok.add(relay);
        }
        if (overCap > 0) {
            lines.add(overCap + " more relays over the limit of " + DiscoveryResult.MAX_RELAYS + " per source were ignored");
        }
        if (unlisted > 0) {
            lines.add(unlisted + " more entries were rejected (not listed)");
        }
        return new Admitted(ok, lines, refused);
    }

    /**
     * Checks one relay by its URL and metadata, as for an untrusted source whose host was not
     * resolved.
     *
     * @param relay the relay
     * @return why the relay is refused, or empty when it passes
     */
    @Override
    public Optional<String> refusal(RelayEndpoint relay) {
        return refusal(relay, List.of());
    }

    /**
     * Checks one relay against the whole policy for untrusted sources, without regard to the cap or
     * duplicates.
     *
     * @param relay    the relay
     * @param resolved the addresses its host resolved to, when the source resolved it
     * @return why the relay is refused, or empty when it is acceptable
     */
    public Optional<String> refusal(RelayEndpoint relay, List<InetAddress> resolved) {
        Optional<String> scheme = schemeRefusal(relay);
        if (scheme.isPresent()) {
            return scheme;
        }
        boolean allowPrivate = config.security().allowPrivateAddresses();
        String host = relay.url().getHost();
        Optional<String> hostProblem = AddressRules.refusedHost(host, allowPrivate);
        if (hostProblem.isPresent()) {
            return hostProblem;
        }
        for (InetAddress a : resolved) {
            Optional<String> bad = AddressRules.refusedAddress(a, allowPrivate);
            if (bad.isPresent()) {
                return Optional.of("host '" + host + "' resolves to a refused address: " + bad.get());
            }
        }
        if (!relay.region().isEmpty() && !REGION.matcher(relay.region()).matches()) {
            return Optional.of("region '" + Untrusted.printable(relay.region())
                    + "' must be 1..64 letters, digits, '.', '_' or '-'");
        }
        if (relay.maxConnections() > DiscoveryResult.MAX_CONNECTIONS) {
            return Optional.of("maxConnections must be at most " + DiscoveryResult.MAX_CONNECTIONS + ", was "
                    + relay.maxConnections());
        }
        return Optional.empty();
    }

    private Optional<String> schemeRefusal(RelayEndpoint relay) {
        if (config.schemeAllowed(relay)) {
            return Optional.empty();
        }
        return Optional.of("scheme " + relay.url().getScheme() + ":// is not allowed for host '"
                + Untrusted.printable(relay.url().getHost()) + "' (security.allowedSchemes=" + config.security().allowedSchemes() + ")");
    }
}
