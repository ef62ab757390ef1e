package io.solconnect.relay.metrics.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.RelayStatus;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link RelayClient}'s metrics to a Micrometer {@link MeterRegistry}. Names follow
 * Micrometer's conventions (lowercase, dot-separated; a registry renders them its way, e.g.
 * Prometheus turns {@code relay.messages.sent} into {@code relay_messages_sent_total}):
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code relay.messages.sent}</td><td>counter</td><td></td><td>messages accepted by {@code send}</td></tr>
 * <tr><td>{@code relay.messages.acknowledged}</td><td>counter</td><td></td><td>messages a relay acknowledged</td></tr>
 * <tr><td>{@code relay.messages.failed}</td><td>counter</td><td></td><td>sends completed with an error</td></tr>
 * <tr><td>{@code relay.messages.delivered}</td><td>counter</td><td></td><td>inbound messages handed to the application</td></tr>
 * <tr><td>{@code relay.messages.duplicates.dropped}</td><td>counter</td><td></td><td>inbound copies dropped by dedup</td></tr>
 * <tr><td>{@code relay.messages.resent}</td><td>counter</td><td></td><td>own messages written again on a member's request</td></tr>
 * <tr><td>{@code relay.messages.republished}</td><td>counter</td><td></td><td>own messages written again to another relay (re-publication, standby catch-up); 0 within a relay fleet</td></tr>
 * <tr><td>{@code relay.resends.requested}</td><td>counter</td><td></td><td>requests for missing serials</td></tr>
 * <tr><td>{@code relay.frames.malformed}</td><td>counter</td><td></td><td>inbound frames refused</td></tr>
 * <tr><td>{@code relay.failovers}</td><td>counter</td><td></td><td>completed failovers</td></tr>
 * <tr><td>{@code relay.failover}</td><td>timer</td><td></td><td>failover durations, from {@link RelayEvent.Failover} events</td></tr>
 * <tr><td>{@code relay.store.damaged.lines}</td><td>counter</td><td></td><td>store entries skipped as damaged, from {@link RelayEvent.StoreDamaged} events</td></tr>
 * <tr><td>{@code relay.session.state}</td><td>gauge</td><td>{@code state}</td><td>1 for the current {@link SessionState}, 0 for the others</td></tr>
 * <tr><td>{@code relay.outbox.messages}</td><td>gauge</td><td></td><td>messages held in the outbox</td></tr>
 * <tr><td>{@code relay.outbox.bytes}</td><td>gauge</td><td></td><td>payload bytes held in the outbox</td></tr>
 * <tr><td>{@code relay.health.score}</td><td>gauge</td><td>{@code relay}</td><td>latest health score in [0, 1]</td></tr>
 * <tr><td>{@code relay.rtt}</td><td>time gauge</td><td>{@code relay}</td><td>ping RTT (EWMA); NaN when unknown</td></tr>
 * <tr><td>{@code relay.connection.open}</td><td>gauge</td><td>{@code relay}</td><td>1 while a connection to the relay is open</td></tr>
 * </table>
 *
 * <p>Counters and gauges read {@link RelayClient#status()}: one snapshot serves every meter read
 * within {@link #SNAPSHOT_MAX_AGE} (by the registry's clock), so one scrape takes one snapshot and
 * its values agree. Per-relay gauges are added for the relays the snapshot lists when bound and
 * when events name a new relay, and removed when discovery loses one. Timers and event-fed
 * counters count from the moment of binding.
 *
 * <p>Usage: {@code new RelayMetrics(client).bindTo(registry)}; {@link #close()} removes the meters
 * and the event subscriptions. Thread-safe; binding to several registries is allowed.
 */
public final class RelayMetrics implements MeterBinder, AutoCloseable {

    /** How long one status snapshot serves meter reads: 1 second. */
    public static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(1);

    private final RelayClient client;
    private final Tags tags;
    private final List<Bound> bound = new ArrayList<>();
    private boolean closed;

    /**
     * Metrics of a client without extra tags.
     *
     * @param client the client; it may be started before or after binding
     */
    public RelayMetrics(RelayClient client) {
        this(client, Tags.empty());
    }

    /**
     * Metrics of a client with extra tags on every meter (e.g. {@code client=orders} when an
     * application runs several clients).
     *
     * @param client the client
     * @param tags   tags added to every meter
     */
    public RelayMetrics(RelayClient client, Iterable<Tag> tags) {
        this.client = Objects.requireNonNull(client, "client");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the meters with a registry and subscribes to the client's events.
     *
     * @param registry the registry
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("these metrics were closed");
        }
        Bound b = new Bound(registry, new SnapshotCache(client, registry.config().clock(), SNAPSHOT_MAX_AGE));
        b.bind();
        bound.add(b);
    }

    /** Removes every meter this binder registered and cancels its event subscriptions. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        bound.forEach(Bound::unbind);
        bound.clear();
    }

    /** The meters of one registry. Thread-safe: per-relay changes synchronise on it. */
    private final class Bound {
        private final MeterRegistry registry;
        private final SnapshotCache snapshots;
        private final List<Meter> meters = new ArrayList<>();
        private final Set<String> relays = new HashSet<>();
        private final List<Meter.Id> relayMeters = new ArrayList<>();
        private final List<Subscription> subscriptions = new ArrayList<>();

        Bound(MeterRegistry registry, SnapshotCache snapshots) {
            this.registry = registry;
            this.snapshots = snapshots;
        }

        void bind() {
            counter("relay.messages.sent", "messages accepted by send", c -> c.sent());
            counter("relay.messages.acknowledged", "messages a relay acknowledged (or wrote, without acks)", c -> c.acknowledged());
            counter("relay.messages.failed", "sends completed with an error", c -> c.failed());
            counter("relay.messages.delivered", "inbound messages handed to the application", c -> c.delivered());
            counter("relay.messages.duplicates.dropped", "inbound copies dropped as already delivered",
                    c -> c.duplicatesSuppressed());
            counter("relay.messages.resent", "own messages written again because a member asked", c -> c.resent());
            counter("relay.resends.requested", "requests sent for missing serials", c -> c.resendsRequested());
            counter("relay.messages.republished", "own messages written again to another relay (re-publication, catch-up)",
                    c -> c.republished());
            counter("relay.frames.malformed", "inbound frames that could not be decoded or were refused",
                    c -> c.malformedFrames());
            counter("relay.failovers", "completed failovers", c -> c.failovers());
            counter("relay.links.limits.exceeded", "links closed (1008) because a relay sent more than the client holds",
                    c -> c.limitsExceeded());
            counter("relay.serials.refused", "inbound sender serials refused for ordering (above 2^53 or far ahead)",
                    c -> c.serialsRefused());
            counter("relay.resends.throttled", "requested resends not written: the resend budget was spent",
                    c -> c.resendsThrottled());
            counter("relay.acks.refused", "acks from a link the message was never written to", c -> c.acksRefused());
            counter("relay.messages.foreign.dropped", "inbound messages for rooms never joined, dropped",
                    c -> c.foreignDropped());
            for (SessionState s : SessionState.values()) {
                meters.add(Gauge.builder("relay.session.state", snapshots, c -> c.get().state() == s ? 1 : 0)
                        .description("1 for the session's current state, 0 for the others")
                        .tags(tags).tag("state", s.name().toLowerCase(java.util.Locale.ROOT))
                        .strongReference(true).register(registry));
            }
            meters.add(Gauge.builder("relay.outbox.messages", snapshots, c -> c.get().outboxDepth())
                    .description("messages held in the outbox (unacknowledged plus queued)").baseUnit("messages")
                    .tags(tags).strongReference(true).register(registry));
            meters.add(Gauge.builder("relay.outbox.bytes", snapshots, c -> c.get().outboxBytes())
                    .description("payload bytes held in the outbox").baseUnit(BaseUnits.BYTES)
                    .tags(tags).strongReference(true).register(registry));
            Timer failover = Timer.builder("relay.failover").description("how long failovers took, from the fault to the new primary")
                    .tags(tags).register(registry);
            meters.add(failover);
            Counter damaged = Counter.builder("relay.store.damaged.lines")
                    .description("store entries skipped as damaged (wrong checksum, unreadable, torn by a crash)")
                    .baseUnit("lines").tags(tags).register(registry);
            meters.add(damaged);
            subscriptions.add(client.subscribe(RelayEvent.Failover.class, e -> failover.record(e.duration())));
            subscriptions.add(client.subscribe(RelayEvent.StoreDamaged.class, e -> damaged.increment(e.lines())));
            subscriptions.add(client.subscribe(RelayEvent.RelayDiscovered.class, e -> addRelay(e.relay().id())));
            subscriptions.add(client.subscribe(RelayEvent.Connected.class, e -> addRelay(e.relay())));
            subscriptions.add(client.subscribe(RelayEvent.RelayLost.class, e -> removeRelay(e.relay())));
            snapshots.get().relays().forEach(r -> addRelay(r.endpoint().id()));
        }

        private void counter(String name, String description, ToDoubleFunction<ClientStatus.Counters> value) {
            meters.add(FunctionCounter.builder(name, snapshots, c -> value.applyAsDouble(c.get().counters()))
                    .description(description).tags(tags).register(registry));
        }

        synchronized void addRelay(String relay) {
            if (!relays.add(relay)) {
                return;
            }
            Tags t = tags.and("relay", relay);
            relayMeters.add(Gauge.builder("relay.health.score", snapshots, c -> relayValue(c, relay, RelayStatus::score))
                    .description("the relay's latest health score in [0, 1]").tags(t).strongReference(true)
                    .register(registry).getId());
            relayMeters.add(TimeGauge.builder("relay.rtt", snapshots, TimeUnit.MILLISECONDS,
                            c -> relayValue(c, relay, r -> r.metrics().rttEwmaMillis().orElse(Double.NaN)))
                    .description("the relay's ping round-trip time (moving average); NaN when unknown").tags(t)
                    .strongReference(true).register(registry).getId());
            relayMeters.add(Gauge.builder("relay.connection.open", snapshots, c -> relayValue(c, relay, r -> r.connected() ? 1 : 0))
                    .description("1 while this client has a connection to the relay open").tags(t).strongReference(true)
                    .register(registry).getId());
        }

        synchronized void removeRelay(String relay) {
            if (!relays.remove(relay)) {
                return;
            }
            relayMeters.removeIf(id -> {
                if (relay.equals(id.getTag("relay"))) {
                    registry.remove(id);
                    return true;
                }
                return false;
            });
        }

        private double relayValue(SnapshotCache c, String relay, ToDoubleFunction<RelayStatus> f) {
            for (RelayStatus r : c.get().relays()) {
                if (r.endpoint().id().equals(relay)) {
                    return f.applyAsDouble(r);
                }
            }
            return Double.NaN;
        }

        synchronized void unbind() {
            subscriptions.forEach(Subscription::cancel);
            meters.forEach(registry::remove);
            relayMeters.forEach(registry::remove);
            relayMeters.clear();
            relays.clear();
        }
    }
}
