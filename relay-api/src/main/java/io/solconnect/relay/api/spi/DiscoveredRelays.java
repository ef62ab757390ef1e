package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A helper for discovery sources: collects what one lookup found into a {@link DiscoveryResult},
 * with the source's own cap, duplicates dropped and its rejection reasons kept short. It applies no
 * address or scheme policy: the engine checks every relay of every source (see
 * {@link DiscoveryResult}). Using it is optional. Not thread-safe: one lookup, one thread.
 *
 * <p>Rejection reasons are kept for at most {@link #MAX_REJECTION_LINES} entries plus summary
 * lines, and are made printable with {@link Untrusted#printable}.
 */
public final class DiscoveredRelays {

    /** Most rejection reasons kept per lookup; the rest are counted. */
    public static final int MAX_REJECTION_LINES = 20;

    private final String source;
    private final int maxRelays;
    private final List<RelayEndpoint> relays = new ArrayList<>();
    private final Map<String, List<InetAddress>> addresses = new LinkedHashMap<>();
    private final List<RelayError> rejections = new ArrayList<>();
    private int rejectedCount;
    private int overCap;

    /**
     * Starts an empty collection for one lookup.
     *
     * @param source    the discovery provider name, used in messages
     * @param maxRelays the cap on relays kept from this lookup, 1..{@value DiscoveryResult#MAX_RELAYS}
     * @throws IllegalArgumentException if {@code maxRelays} is out of range
     */
    public DiscoveredRelays(String source, int maxRelays) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxRelays < 1 || maxRelays > DiscoveryResult.MAX_RELAYS) {
            throw new IllegalArgumentException("maxRelays must be in 1.." + DiscoveryResult.MAX_RELAYS + ", was " + maxRelays);
        }
        this.maxRelays = maxRelays;
    }

    /**
     * Adds a relay whose host the source did not resolve.
     *
     * @param where where the entry came from, e.g. {@code "relays[3]"} or an SRV record
     * @param relay the relay
     * @return true if it was kept (not a duplicate, cap not reached)
     */
    public boolean add(String where, RelayEndpoint relay) {
        return add(where, relay, List.of());
    }

    /**
     * Adds a relay with the addresses its host name resolved to, for the engine to check.
     *
     * @param where     where the entry came from
     * @param relay     the relay
     * @param resolved  the addresses the host resolved to (empty when not resolved)
     * @return true if it was kept (not a duplicate, cap not reached)
     */
    public boolean add(String where, RelayEndpoint relay, Collection<InetAddress> resolved) {
        Objects.requireNonNull(relay, "relay");
        if (relays.stream().anyMatch(r -> r.id().equals(relay.id()))) {
            reject(where, ErrorCode.BAD_INPUT, "duplicate of relay " + relay.id());
            return false;
        }
        if (full()) {
            overCap++;
            rejectedCount++;
            return false;
        }
        relays.add(relay);
        if (!resolved.isEmpty()) {
            addresses.put(relay.id(), List.copyOf(resolved));
        }
        return true;
    }

    /**
     * Records an entry the source refused itself (it did not parse, had a wrong type, ...).
     *
     * @param where  where the entry came from; made printable
     * @param code   {@link ErrorCode#BAD_INPUT} for malformed input, {@link ErrorCode#FORBIDDEN} for
     *               a refusal
     * @param reason why, in words; made printable
     */
    public void reject(String where, ErrorCode code, String reason) {
        rejectedCount++;
        if (rejections.size() < MAX_REJECTION_LINES) {
            rejections.add(new RelayError(code, Untrusted.printable(where) + ": " + Untrusted.printable(reason)));
        }
    }

    /**
     * Records that the source skipped entries beyond the cap without offering them.
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
     * @return true when {@code maxRelays} relays were kept
     */
    public boolean full() {
        return relays.size() >= maxRelays;
    }

    /**
     * The kept relays, in the order added.
     *
     * @return an immutable copy
     */
    public List<RelayEndpoint> relays() {
        return List.copyOf(relays);
    }

    /**
     * The kept rejection reasons, plus one summary line each for entries over the cap and for
     * entries only counted.
     *
     * @return at most {@value #MAX_REJECTION_LINES} + 2 errors
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
     * The outcome of the lookup. A lookup that kept no relay is a failure, so that the engine keeps
     * the source's last good list and asks again soon.
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
        return Result.ok(new DiscoveryResult(relays, refreshAfter, lines, addresses));
    }
}
