package io.solconnect.relay.core.internal.pool;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.Untrusted;
import io.solconnect.relay.api.spi.HostResolver;
import io.solconnect.relay.core.internal.discovery.ConnectGuard;
import io.solconnect.relay.core.internal.discovery.RelayAdmission;
import io.solconnect.relay.core.internal.discovery.StaticDiscovery;
import io.solconnect.relay.core.internal.events.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merged relay list of every configured discovery source.
 *
 * <p>Each source is asked at start and again after the {@code refreshAfter} it returned (after
 * {@link #RETRY_AFTER_FAILURE} when it failed), on the lookup executor, never two lookups of one
 * source at once; what a lookup found is then applied and saved on the blocking executor, so that a
 * slow lookup (a DNS server that does not answer) never holds up the store's writes. Whatever a source returns is untrusted: every result passes the
 * {@link RelayAdmission} policy (schemes, address ranges, limits, duplicates), and refused relays
 * are reported in one {@link RelayEvent.DiscoveryFailed} per lookup. Only the built-in
 * {@link StaticDiscovery} (the configuration's own relays) is trusted with private addresses.
 *
 * <p>Last-good-list rule: an answer with at least one admitted relay replaces that source's list
 * and is saved through {@link RelayStore#saveKnownRelays}; a failed lookup, or one that leaves no
 * admitted relay, keeps the source's last good list, and when the source has none yet (first
 * lookup at start-up) the list saved by an earlier run ({@link RelayStore#knownRelays}, admitted
 * again) is used instead. The merged list is the union in source order (the first source to list a
 * relay gives its metadata). Relays that vanish are reported as {@link RelayEvent.RelayLost}; the
 * engine drains them. Thread-safe.
 */
public final class RelayPool implements AutoCloseable {

    /** How soon a failed source is asked again. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RelayPool.class);

    /** A configured source and its name. */
    public record Source(String name, RelayDiscovery discovery) {
        /** Checks for nulls. */
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(discovery, "discovery");
        }

        boolean trusted() {
            return discovery instanceof StaticDiscovery;
        }
    }

    private final List<Source> sources;
    private final RelayAdmission admission;
    private final ConnectGuard guard;
    private final RelayStore store;
    private final Scheduler scheduler;
    private final Executor blocking;
    private final Executor lookups;
    private final EventBus events;
    private final Consumer<List<RelayEndpoint>> onChange;
    private final Map<String, List<RelayEndpoint>> bySource = new LinkedHashMap<>();
    /** Per source, the lookup chain allowed to run; a newer chain stops the older one. Guarded by this. */
    private final Map<String, Integer> generation = new HashMap<>();
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();
    private Map<String, RelayEndpoint> merged = Map.of();
    private Map<String, String> mergedSource = Map.of();
    private boolean closed;

    /**
     * Creates a pool; nothing happens before {@link #start()}.
     *
     * @param sources   the sources, in priority order
     * @param config    the configuration (scheme and address policy)
     * @param store     where last good lists are kept
     * @param scheduler timers
     * @param blocking  where store calls run (they may block); the store's own I/O executor
     * @param lookups   where {@link RelayDiscovery#discover()} runs (it may block for as long as a
     *                  source's lookup takes); must not be {@code blocking}, or a slow lookup
     *                  holds up store writes
     * @param events    event bus
     * @param onChange  receives the whole merged list after each change
     */
    public RelayPool(List<Source> sources, RelayConfig config, RelayStore store, Scheduler scheduler, Executor blocking,
                     Executor lookups, EventBus events, Consumer<List<RelayEndpoint>> onChange) {
        this(sources, new ConnectGuard(config), store, scheduler, blocking, lookups, events, onChange);
    }

    /**
     * Creates a pool that shares the client's address policy with its transport; nothing happens
     * before {@link #start()}.
     *
     * @param sources   the sources, in priority order
     * @param guard     the client's address policy: which relays are trusted, and where the pool
     *                  publishes each relay's resolver for connect-time checks
     * @param store     where last good lists are kept
     * @param scheduler timers
     * @param blocking  where store calls run (they may block)
     * @param lookups   where {@link RelayDiscovery#discover()} runs; must not be {@code blocking}
     * @param events    event bus
     * @param onChange  receives the whole merged list after each change
     */
    public RelayPool(List<Source> sources, ConnectGuard guard, RelayStore store, Scheduler scheduler, Executor blocking,
                     Executor lookups, EventBus events, Consumer<List<RelayEndpoint>> onChange) {
        this.sources = List.copyOf(sources);
        this.guard = Objects.requireNonNull(guard, "guard");
        this.admission = guard.admission();
        this.store = store;
        this.scheduler = scheduler;
        this.blocking = blocking;
        this.lookups = lookups;
        this.events = events;
        this.onChange = onChange;
    }

    /** Starts the first lookup of every source. */
    public void start() {
        for (Source s : sources) {
            refreshNow(s.name());
        }
    }

    /**
     * Asks a source again at once, e.g. after its list was replaced; its pending refresh does
     * nothing.
     *
     * @param name the source name
     * @return false when no source has that name
     */
    public boolean refreshNow(String name) {
        Optional<Source> s = sources.stream().filter(x -> x.name().equals(name)).findFirst();
        if (s.isEmpty()) {
            return false;
        }
        int gen;
        synchronized (this) {
            gen = generation.merge(name, 1, Integer::sum);
        }
        lookups.execute(() -> refresh(s.get(), gen));
        return true;
    }

    /** The merged list now. */
    public synchronized List<RelayEndpoint> current() {
        return List.copyOf(merged.values());
    }

    private synchronized boolean live(Source s, int gen) {
        return !closed && generation.getOrDefault(s.name(), 0) == gen;
    }

    private void refresh(Source s, int gen) {
        if (!live(s, gen)) {
            return;
        }
        Result<DiscoveryResult> r;
        try {
            r = Objects.requireNonNull(s.discovery().discover(), "discover() returned null");
        } catch (RuntimeException e) {
            r = Result.err(ErrorCode.DISCOVERY_FAILED, "discovery source '" + s.name() + "' threw "
                    + Untrusted.printable(String.valueOf(e)));
        }
        Result<DiscoveryResult> found = r;
        blocking.execute(() -> apply(s, gen, found));
    }

    /**
     * Applies one lookup's result on the blocking executor (it saves to the store) and schedules the
     * next lookup; does nothing when the pool closed or a newer lookup of the source started.
     */
    private void apply(Source s, int gen, Result<DiscoveryResult> r) {
        if (!live(s, gen)) {
            return;
        }
        Duration next = RETRY_AFTER_FAILURE;
        if (r.isOk()) {
            DiscoveryResult d = r.orElseThrow();
            RelayAdmission.Admitted admitted = admission.admit(d.relays(), d.addresses(), d.rejected(), trust(s));
            reportRejections(s, admitted);
            if (!admitted.relays().isEmpty()) {
                if (!update(s, gen, admitted.relays())) {
                    return; // replaced by a newer lookup while this one ran
                }
                store.saveKnownRelays(s.name(), admitted.relays())
                        .ifErr(e -> log.warn("could not save relays of source '{}': {}", s.name(), e));
                next = d.refreshAfter();
            } else {
                log.warn("discovery source '{}' returned no acceptable relay; keeping its last good list", s.name());
                useSavedListIfNone(s, gen);
            }
        } else {
            RelayError err = r.failure().orElseThrow();
            RelayError shown = new RelayError(err.code(), Untrusted.printable(err.message()));
            log.warn("discovery source '{}' failed: {}", s.name(), shown);
            events.publish(RelayEvent.DiscoveryFailed.class,
                    () -> new RelayEvent.DiscoveryFailed(scheduler.now(), s.name(), shown));
            useSavedListIfNone(s, gen);
        }
        Duration after = next;
        synchronized (this) {
            if (live(s, gen)) {
                timers.add(scheduler.schedule(after, () -> lookups.execute(() -> refresh(s, gen))));
                if (timers.size() > 4 * sources.size()) {
                    timers.subList(0, timers.size() - 2 * sources.size()).clear();
                }
            }
        }
    }

    /** Only the configuration's own relays from the static source are trusted; relays set at run time are not. */
    private Predicate<RelayEndpoint> trust(Source s) {
        return relay -> s.trusted() && guard.trusted(relay);
    }

    private void reportRejections(Source s, RelayAdmission.Admitted admitted) {
        if (admitted.rejections().isEmpty()) {
            return;
        }
        RelayError err = RelayError.of(ErrorCode.BAD_INPUT, "source '" + s.name() + "' rejected entries ("
                + admitted.refused() + " by the engine's policy): " + String.join("; ", admitted.rejections()));
        log.warn(err.message());
        events.publish(RelayEvent.DiscoveryFailed.class,
                () -> new RelayEvent.DiscoveryFailed(scheduler.now(), s.name(), err));
    }

    private void useSavedListIfNone(Source s, int gen) {
        synchronized (this) {
            if (bySource.containsKey(s.name())) {
                return;
            }
        }
        List<RelayEndpoint> saved = store.knownRelays(s.name()).toOptional().orElse(List.of());
        List<RelayEndpoint> ok = admission.admit(saved, Map.of(), List.of(), trust(s)).relays();
        if (!ok.isEmpty()) {
            log.info("discovery source '{}': using {} relays saved by an earlier run", s.name(), ok.size());
            update(s, gen, ok);
        }
    }

    /** Applies a source's new list; false (and nothing changes) when a newer lookup of it started. */
    private boolean update(Source s, int gen, List<RelayEndpoint> list) {
        String source = s.name();
        List<RelayEndpoint> added = new ArrayList<>();
        Map<String, String> lost = new LinkedHashMap<>();
        synchronized (this) {
            if (!live(s, gen)) {
                return false;
            }
            bySource.put(source, List.copyOf(list));
            Map<String, RelayEndpoint> m = new LinkedHashMap<>();
            Map<String, String> from = new LinkedHashMap<>();
            for (Source each : this.sources) {
                for (RelayEndpoint e : bySource.getOrDefault(each.name(), List.of())) {
                    if (m.putIfAbsent(e.id(), e) == null) {
                        from.put(e.id(), each.name());
                    }
                }
            }
            for (RelayEndpoint e : m.values()) {
                if (!merged.containsKey(e.id())) {
                    added.add(e);
                }
            }
            for (String id : merged.keySet()) {
                if (!m.containsKey(id)) {
                    lost.put(id, mergedSource.get(id));
                }
            }
            if (added.isEmpty() && lost.isEmpty() && m.equals(merged)) {
                return true;
            }
            merged = m;
            mergedSource = from;
            Map<String, HostResolver> resolvers = new HashMap<>();
            for (Source each : this.sources) {
                Optional<HostResolver> r = resolverOf(each);
                r.ifPresent(res -> from.forEach((id, src) -> {
                    if (src.equals(each.name())) {
                        resolvers.put(id, res);
                    }
                }));
            }
            guard.useResolvers(resolvers);
            onChange.accept(List.copyOf(m.values())); // non-blocking; under the lock so that lists arrive in order
        }
        for (RelayEndpoint e : added) {
            String src = Optional.ofNullable(mergedSource.get(e.id())).orElse(source);
            events.publish(RelayEvent.RelayDiscovered.class, () -> new RelayEvent.RelayDiscovered(scheduler.now(), e, src));
        }
        lost.forEach((id, src) -> events.publish(RelayEvent.RelayLost.class,
                () -> new RelayEvent.RelayLost(scheduler.now(), id, src == null ? source : src)));
        return true;
    }

    private static Optional<HostResolver> resolverOf(Source s) {
        try {
            return s.discovery().resolver();
        } catch (RuntimeException e) {
            log.warn("discovery source '{}' failed to give its resolver; the system resolver is used", s.name(), e);
            return Optional.empty();
        }
    }

    /** Stops refreshing and closes every source. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            timers.forEach(Scheduler.Cancellable::cancel);
            timers.clear();
        }
        for (Source s : sources) {
            try {
                s.discovery().close();
            } catch (RuntimeException e) {
                log.warn("discovery source '{}' failed to close", s.name(), e);
            }
        }
    }
}
