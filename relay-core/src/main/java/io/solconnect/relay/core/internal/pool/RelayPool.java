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
import io.solconnect.relay.core.internal.events.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merged relay list of every configured discovery source.
 *
 * <p>Each source is asked at start and again after the {@code refreshAfter} it returned (after
 * {@link #RETRY_AFTER_FAILURE} when it failed), on the blocking executor, never two lookups of one
 * source at once. Whatever a source returns is untrusted: every endpoint is checked again against
 * {@link RelayConfig#schemeAllowed(RelayEndpoint)} and refused one by one. A good answer replaces
 * that source's list and is saved through {@link RelayStore#saveKnownRelays}; a failed one keeps
 * the source's last good list, and when the source has none yet (first lookup at start-up) the list
 * saved by an earlier run ({@link RelayStore#knownRelays}) is used instead. The merged list is the
 * union in source order (the first source to list a relay gives its metadata). Relays that vanish
 * are reported as {@link RelayEvent.RelayLost}; the engine drains them. Thread-safe.
 */
public final class RelayPool implements AutoCloseable {

    /** How soon a failed source is asked again. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    /** Refusal reasons reported per lookup, at most. */
    static final int MAX_REJECTIONS_REPORTED = 20;

    private static final Logger log = LoggerFactory.getLogger(RelayPool.class);

    /** A configured source and its name. */
    public record Source(String name, RelayDiscovery discovery) {
        /** Checks for nulls. */
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(discovery, "discovery");
        }
    }

    private final List<Source> sources; // guarded by this
    private final RelayConfig config;
    private final RelayStore store;
    private final Scheduler scheduler;
    private final Executor blocking;
    private final EventBus events;
    private final Consumer<List<RelayEndpoint>> onChange;
    private final Map<String, List<RelayEndpoint>> bySource = new LinkedHashMap<>();
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();
    private Map<String, RelayEndpoint> merged = Map.of();
    private Map<String, String> mergedSource = Map.of();
    private boolean closed;

    /**
     * Creates a pool; nothing happens before {@link #start()}.
     *
     * @param sources   the sources, in priority order
     * @param config    the configuration (scheme policy)
     * @param store     where last good lists are kept
     * @param scheduler timers
     * @param blocking  where lookups and store calls run (they may block)
     * @param events    event bus
     * @param onChange  receives the whole merged list after each change
     */
    public RelayPool(List<Source> sources, RelayConfig config, RelayStore store, Scheduler scheduler, Executor blocking,
                     EventBus events, Consumer<List<RelayEndpoint>> onChange) {
        this.sources = new ArrayList<>(sources);
        this.config = config;
        this.store = store;
        this.scheduler = scheduler;
        this.blocking = blocking;
        this.events = events;
        this.onChange = onChange;
    }

    /** Starts the first lookup of every source. */
    public void start() {
        for (Source s : snapshotSources()) {
            blocking.execute(() -> refresh(s));
        }
    }

    private synchronized List<Source> snapshotSources() {
        return List.copyOf(sources);
    }

    /**
     * Replaces the source of the same name (run-time reconfiguration) and asks it at once. The old
     * source is closed; its pending refresh does nothing.
     *
     * @param replacement the new source
     * @return false when no source has that name
     */
    public boolean replaceSource(Source replacement) {
        Source old = null;
        synchronized (this) {
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i).name().equals(replacement.name())) {
                    old = sources.set(i, replacement);
                    break;
                }
            }
        }
        if (old == null) {
            return false;
        }
        try {
            old.discovery().close();
        } catch (RuntimeException e) {
            log.warn("discovery source '{}' failed to close", old.name(), e);
        }
        blocking.execute(() -> refresh(replacement));
        return true;
    }

    /** The merged list now. */
    public synchronized List<RelayEndpoint> current() {
        return List.copyOf(merged.values());
    }

    private void refresh(Source s) {
        synchronized (this) {
            if (closed || !sources.contains(s)) {
                return;
            }
        }
        Result<DiscoveryResult> r;
        try {
            r = s.discovery().discover();
        } catch (RuntimeException e) {
            r = Result.err(ErrorCode.DISCOVERY_FAILED, "discovery source '" + s.name() + "' threw " + e);
        }
        Duration next;
        if (r.isOk()) {
            DiscoveryResult d = r.orElseThrow();
            List<RelayEndpoint> accepted = new ArrayList<>();
            List<String> rejected = new ArrayList<>(d.rejected());
            for (RelayEndpoint e : d.relays()) {
                if (config.schemeAllowed(e)) {
                    accepted.add(e);
                } else {
                    rejected.add(e.id() + ": ws:// to a non-loopback host is not allowed (security.allowedSchemes)");
                }
            }
            if (!rejected.isEmpty()) {
                List<String> shown = rejected.subList(0, Math.min(MAX_REJECTIONS_REPORTED, rejected.size()));
                RelayError err = RelayError.of(ErrorCode.BAD_INPUT, "source '" + s.name() + "' refused "
                        + rejected.size() + " entries: " + String.join("; ", shown));
                log.warn(err.message());
                events.publish(RelayEvent.DiscoveryFailed.class,
                        () -> new RelayEvent.DiscoveryFailed(scheduler.now(), s.name(), err));
            }
            if (accepted.isEmpty() && !d.relays().isEmpty()) {
                log.warn("discovery source '{}' returned no acceptable relay; keeping its last good list", s.name());
            } else {
                update(s.name(), accepted);
                store.saveKnownRelays(s.name(), accepted)
                        .ifErr(e -> log.warn("could not save relays of source '{}': {}", s.name(), e));
            }
            next = d.refreshAfter();
        } else {
            RelayError err = r.failure().orElseThrow();
            log.warn("discovery source '{}' failed: {}", s.name(), err);
            events.publish(RelayEvent.DiscoveryFailed.class,
                    () -> new RelayEvent.DiscoveryFailed(scheduler.now(), s.name(), err));
            boolean hasList;
            synchronized (this) {
                hasList = bySource.containsKey(s.name());
            }
            if (!hasList) {
                Result<List<RelayEndpoint>> saved = store.knownRelays(s.name());
                List<RelayEndpoint> ok = saved.toOptional().orElse(List.of()).stream()
                        .filter(config::schemeAllowed).toList();
                if (!ok.isEmpty()) {
                    log.info("discovery source '{}': using {} relays saved by an earlier run", s.name(), ok.size());
                    update(s.name(), ok);
                }
            }
            next = RETRY_AFTER_FAILURE;
        }
        synchronized (this) {
            if (!closed && sources.contains(s)) {
                timers.add(scheduler.schedule(next, () -> blocking.execute(() -> refresh(s))));
                if (timers.size() > 4 * sources.size()) {
                    timers.subList(0, timers.size() - 2 * sources.size()).clear();
                }
            }
        }
    }

    private void update(String source, List<RelayEndpoint> list) {
        List<RelayEndpoint> added = new ArrayList<>();
        Map<String, String> lost = new LinkedHashMap<>();
        synchronized (this) {
            bySource.put(source, List.copyOf(list));
            Map<String, RelayEndpoint> m = new LinkedHashMap<>();
            Map<String, String> from = new LinkedHashMap<>();
            for (Source s : this.sources) {
                for (RelayEndpoint e : bySource.getOrDefault(s.name(), List.of())) {
                    if (m.putIfAbsent(e.id(), e) == null) {
                        from.put(e.id(), s.name());
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
                return;
            }
            merged = m;
            mergedSource = from;
            onChange.accept(List.copyOf(m.values())); // non-blocking; under the lock so that lists arrive in order
        }
        for (RelayEndpoint e : added) {
            String src = Optional.ofNullable(mergedSource.get(e.id())).orElse(source);
            events.publish(RelayEvent.RelayDiscovered.class, () -> new RelayEvent.RelayDiscovered(scheduler.now(), e, src));
        }
        lost.forEach((id, src) -> events.publish(RelayEvent.RelayLost.class,
                () -> new RelayEvent.RelayLost(scheduler.now(), id, src == null ? source : src)));
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
        for (Source s : snapshotSources()) {
            try {
                s.discovery().close();
            } catch (RuntimeException e) {
                log.warn("discovery source '{}' failed to close", s.name(), e);
            }
        }
    }
}
