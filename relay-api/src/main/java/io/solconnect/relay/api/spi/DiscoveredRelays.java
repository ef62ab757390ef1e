package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Collects and validates the relays one discovery lookup found, before they reach the pool. A
 * discovery source creates one per lookup, offers every entry with {@link #add} (or refuses it
 * itself with {@link #reject}), and turns the outcome into a {@link DiscoveryResult} with
 * {@link #result}. Shared by the {@code dns} and {@code bootstrap} sources so that both apply
 * exactly the same policy. Not thread-safe: one lookup, one thread.
 *
 * <p>An entry is refused, with a reason, when:
 * <ul>
 *   <li>its scheme is not allowed by {@link RelayConfig#schemeAllowed(RelayEndpoint)}
 *       ({@code wss}; {@code ws} only to loopback unless {@code security.allowedSchemes} holds {@code ws});</li>
 *   <li>its host or one of its resolved addresses is refused by {@link AddressRules} under
 *       {@link io.solconnect.relay.api.SecurityConfig#allowPrivateAddresses()};</li>
 *   <li>its region is not 1..64 letters, digits, {@code .}, {@code _} or {@code -};</li>
 *   <li>it repeats a relay already accepted from this lookup (same {@link RelayEndpoint#id()});</li>
 *   <li>the source's cap {@code maxRelays} is already reached (these are counted, not listed).</li>
 * </ul>
 * ({@link RelayEndpoint} itself already refuses userinfo, fragments, bad ports and other schemes.)
 * Rejection reasons are kept for at most {@link #MAX_REJECTION_LINES} entries plus one summary
 * line, and every piece of untrusted text in them is made printable and shortened.
 */
public final class DiscoveredRelays {

    /** Most rejection reasons kept and published per lookup; the rest are counted. */
    public static final int MAX_REJECTION_LINES = 20;

    /** The largest cap on relays per source that a source may configure. */
    public static final int MAX_RELAYS_LIMIT = 10_000;

    /** The largest {@code maxConnections} a source may report for one relay. */
    public static final int MAX_CONNECTIONS_LIMIT = 10_000_000;

    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_SHOWN = 240;

    private final String source;
    private final RelayConfig config;
    private final int maxRelays;
    private final List<RelayEndpoint> relays = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final List<RelayError> rejections = new ArrayList<>();
    private int rejectedCount;
    private int overCap;

    /**
     * Starts an empty collection for one lookup.
     *
     * @param source    the discovery provider name, used in messages and events
     * @param config    the client configuration (scheme and address policy)
     * @param maxRelays the cap on relays accepted from this lookup, 1..{@value #MAX_RELAYS_LIMIT}
     * @throws IllegalArgumentException if {@code maxRelays} is out of range
     */
    public DiscoveredRelays(String source, RelayConfig config, int maxRelays) {
        this.source = Objects.requireNonNull(source, "source");
        this.config = Objects.requireNonNull(config, "config");
        if (maxRelays < 1 || maxRelays > MAX_RELAYS_LIMIT) {
            throw new IllegalArgumentException("maxRelays must be in 1.." + MAX_RELAYS_LIMIT + ", was " + maxRelays);
        }
        this.maxRelays = maxRelays;
    }

    /**
     * Checks one relay against the scheme, host and region policy, without DNS lookups and without
     * regard to the cap or duplicates.
     *
     * @param relay  the relay
     * @param config the configuration holding the policy
     * @return why the relay is refused, or empty when it is acceptable
     */
    public static Optional<String> refusal(RelayEndpoint relay, RelayConfig config) {
        if (!config.schemeAllowed(relay)) {
            return Optional.of("scheme " + relay.url().getScheme() + ":// is not allowed for host '"
                    + printable(relay.url().getHost()) + "' (allowedSchemes=" + config.security().allowedSchemes() + ")");
        }
        Optional<String> host = AddressRules.refusedHost(relay.url().getHost(), config.security().allowPrivateAddresses());
        if (host.isPresent()) {
            return host;
        }
        if (!relay.region().isEmpty()) {
            return regionProblem(relay.region());
        }
        return Optional.empty();
    }

    /**
     * Checks a region name as discovery metadata: 1..64 letters, digits, {@code .}, {@code _},
     * {@code -}, starting with a letter or digit.
     *
     * @param region the region
     * @return why it is refused, or empty when it is acceptable
     */
    public static Optional<String> regionProblem(String region) {
        if (REGION.matcher(region).matches()) {
            return Optional.empty();
        }
        return Optional.of("region '" + printable(region) + "' must be 1..64 letters, digits, '.', '_' or '-'");
    }

    /**
     * Offers a relay whose host needs no further resolution (an IP literal, or a name the source
     * does not resolve).
     *
     * @param where where the entry came from, e.g. {@code "relays[3]"} or an SRV record; untrusted
     *              text is made printable
     * @param relay the relay
     * @return true if it was accepted
     */
    public boolean add(String where, RelayEndpoint relay) {
        return add(where, relay, List.of());
    }

    /**
     * Offers a relay with the addresses its host name resolved to; every address must pass
     * {@link AddressRules#refusedAddress}.
     *
     * @param where     where the entry came from
     * @param relay     the relay
     * @param addresses the addresses the host resolved to (empty when not resolved)
     * @return true if it was accepted
     */
    public boolean add(String where, RelayEndpoint relay, Collection<InetAddress> addresses) {
        Objects.requireNonNull(relay, "relay");
        Optional<String> why = refusal(relay, config);
        if (why.isPresent()) {
            reject(where, ErrorCode.FORBIDDEN, why.get());
            return false;
        }
        for (InetAddress a : addresses) {
            Optional<String> bad = AddressRules.refusedAddress(a, config.security().allowPrivateAddresses());
            if (bad.isPresent()) {
                reject(where, ErrorCode.FORBIDDEN, "host '" + relay.url().getHost() + "' resolves to a refused address: "
                        + bad.get());
                return false;
            }
        }
        if (ids.contains(relay.id())) {
            reject(where, ErrorCode.BAD_INPUT, "duplicate of relay " + relay.id());
            return false;
        }
        if (full()) {
            overCap++;
            rejectedCount++;
            return false;
        }
        ids.add(relay.id());
        relays.add(relay);
        return true;
    }

    /**
     * Records an entry the source refused itself (it did not parse, had a wrong type, ...).
     *
     * @param where  where the entry came from
     * @param code   {@link ErrorCode#BAD_INPUT} for malformed input, {@link ErrorCode#FORBIDDEN} for
     *               a policy refusal
     * @param reason why, in words; untrusted text in it is made printable
     */
    public void reject(String where, ErrorCode code, String reason) {
        rejectedCount++;
        if (rejections.size() < MAX_REJECTION_LINES) {
            rejections.add(new RelayError(code, printable(where) + ": " + printable(reason)));
        }
    }

    /**
     * Records that the source skipped entries beyond the cap without offering them (for example
     * DNS records it did not resolve because the cap was reached).
     *
     * @param count entries skipped, at least 0
     */
    public void skippedOverCap(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        overCap += count;
        rejectedCount += count;
    }

    /**
     * Tells whether the cap is reached; further relays are counted as rejected.
     *
     * @return true when {@code maxRelays} relays were accepted
     */
    public boolean full() {
        return relays.size() >= maxRelays;
    }

    /**
     * The accepted relays, in the order offered.
     *
     * @return an immutable copy
     */
    public List<RelayEndpoint> relays() {
        return List.copyOf(relays);
    }

    /**
     * The kept rejection reasons, plus one summary line when some were only counted.
     *
     * @return at most {@value #MAX_REJECTION_LINES} + 1 errors
     */
    public List<RelayError> rejections() {
        List<RelayError> all = new ArrayList<>(rejections);
        int unlisted = rejectedCount - rejections.size() - overCap;
        if (overCap > 0) {
            all.add(new RelayError(ErrorCode.FORBIDDEN, overCap + " more relays over the cap of maxRelays="
                    + maxRelays + " were ignored"));
        }
        if (unlisted > 0) {
            all.add(new RelayError(ErrorCode.BAD_INPUT, unlisted + " more entries were rejected (not listed)"));
        }
        return List.copyOf(all);
    }

    /**
     * How many entries were refused in all, listed or not.
     *
     * @return the count
     */
    public int rejectedCount() {
        return rejectedCount;
    }

    /**
     * Publishes one {@link RelayEvent.DiscoveryFailed} per entry of {@link #rejections()}.
     *
     * @param events the event sink
     * @param at     the time to stamp on the events
     */
    public void publishRejections(Consumer<RelayEvent> events, Instant at) {
        for (RelayError e : rejections()) {
            events.accept(new RelayEvent.DiscoveryFailed(at, source, e));
        }
    }

    /**
     * The outcome of the lookup. A lookup that accepted no relay is a failure, so that a source
     * returning nothing usable (all entries hostile, an emptied list) never replaces a good list.
     *
     * @param refreshAfter when to ask again; positive
     * @return the result, or a {@link ErrorCode#DISCOVERY_FAILED} error saying how many entries were
     *         refused and the first reason
     */
    public Result<DiscoveryResult> result(Duration refreshAfter) {
        List<String> lines = rejections().stream().map(RelayError::message).toList();
        if (relays.isEmpty()) {
            String first = lines.isEmpty() ? "" : " (first: " + lines.get(0) + ")";
            return Result.err(ErrorCode.DISCOVERY_FAILED, source + " found no usable relay: "
                    + rejectedCount + " entries rejected" + first);
        }
        return Result.ok(new DiscoveryResult(relays, refreshAfter, lines));
    }

    /**
     * Makes untrusted text safe to log and show: control and format characters become {@code ?},
     * and text longer than 240 characters is cut with {@code ...}.
     *
     * @param text any text, may be null
     * @return the printable text ({@code "null"} for null)
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_SHOWN + 3));
        for (int i = 0; i < text.length() && sb.length() < MAX_SHOWN; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean bad = Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            sb.append(bad ? '?' : c);
        }
        if (text.length() > MAX_SHOWN) {
            sb.append("...");
        }
        return sb.toString();
    }

    /**
     * Tells whether text holds a control character (CR, LF, NUL, any C0/C1 control or DEL).
     *
     * @param text the text
     * @return true if it does
     */
    public static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
