package io.solconnect.relay.ui.web;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.FailoverRecord;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.RelayRole;
import io.solconnect.relay.api.RelayStatus;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The other side of the status server in these tests: a {@link RelayClient} whose status the test
 * sets, whose events the test emits and which records {@code reconfigure} calls. The server under
 * test is real; only the engine behind it is scripted. Thread-safe (all state under {@code this}).
 */
final class FakeRelayClient implements RelayClient {

    private record Listener(Class<? extends RelayEvent> type, Consumer<? super RelayEvent> consumer) {
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger reconfigureCalls = new AtomicInteger();
    private RelayConfig config;
    private SessionState state = SessionState.CONNECTED;
    private String primary;
    private final List<FailoverRecord> failovers = new ArrayList<>();
    private final java.util.Map<String, Instant> ejected = new java.util.HashMap<>();
    private Result<Result.Done> reconfigureResult = Result.ok();
    private RuntimeException statusFailure;
    private long tick;
    private boolean offline;

    FakeRelayClient(String... urls) {
        RelayConfig.Builder b = RelayConfig.custom();
        for (String url : urls) {
            b.addRelay(RelayEndpoint.builder(url).region("eu-west").build());
        }
        this.config = b.build();
        this.primary = config.relays().get(0).id();
    }

    synchronized void region(String relayId, String region) {
        List<RelayEndpoint> relays = new ArrayList<>();
        for (RelayEndpoint e : config.relays()) {
            relays.add(e.id().equals(relayId) ? e.withRegion(region) : e);
        }
        config = RelayConfig.from(config).relays(relays).build();
    }

    synchronized void refuseReconfigure(Result<Result.Done> result) {
        this.reconfigureResult = result;
    }

    synchronized void failStatus(RuntimeException failure) {
        this.statusFailure = failure;
    }

    int reconfigureCalls() {
        return reconfigureCalls.get();
    }

    /** Moves the primary to {@code to}, records the failover and emits its events. */
    void failover(String to, String reason) {
        RelayEvent.Failover event;
        synchronized (this) {
            String from = primary;
            primary = to;
            event = new RelayEvent.Failover(Instant.now(), Optional.ofNullable(from), to, reason,
                    Duration.ofMillis(37), 4);
            failovers.add(event.toRecord());
        }
        emit(event);
    }

    /** Goes offline: no primary, nothing connected, no RTT history yet. */
    synchronized void offline() {
        state = SessionState.OFFLINE;
        primary = null;
        offline = true;
    }

    /** Ejects a relay until {@code until} and emits the event. */
    void eject(String relayId, Instant until, String reason) {
        synchronized (this) {
            ejected.put(relayId, until);
        }
        emit(new RelayEvent.Ejected(Instant.now(), relayId, until, reason));
    }

    void emit(RelayEvent event) {
        for (Listener l : listeners) {
            if (l.type().isInstance(event)) {
                l.consumer().accept(event);
            }
        }
    }

    int listenerCount() {
        return listeners.size();
    }

    @Override
    public synchronized ClientStatus status() {
        if (statusFailure != null) {
            throw statusFailure;
        }
        tick++;
        List<RelayStatus> relays = new ArrayList<>();
        List<String> standby = new ArrayList<>();
        int i = 0;
        for (RelayEndpoint e : config.relays()) {
            boolean isPrimary = e.id().equals(primary);
            Instant ejectedUntil = ejected.get(e.id());
            RelayRole role = isPrimary ? RelayRole.PRIMARY : ejectedUntil != null ? RelayRole.EJECTED
                    : i == 1 ? RelayRole.STANDBY : RelayRole.CANDIDATE;
            if (role == RelayRole.STANDBY) {
                standby.add(e.id());
            }
            double rtt = 10 + 5 * i;
            List<Double> history = new ArrayList<>();
            for (int h = 0; h < (offline ? 0 : 30); h++) {
                history.add(h == 3 ? Double.NaN : rtt + (h + tick) % 7);
            }
            QualityMetrics m = offline ? QualityMetrics.unknown(e.id(), Duration.ofSeconds(60)) : new QualityMetrics(e.id(), OptionalDouble.of(rtt), OptionalDouble.of(rtt - 1),
                    OptionalDouble.of(rtt * 3), 12.5, 11.0, 2048, 1900, OptionalDouble.of(0.01 * i), i,
                    Duration.ofMinutes(42 + i), 1, OptionalDouble.empty(), Duration.ofSeconds(60));
            boolean connected = role == RelayRole.PRIMARY || role == RelayRole.STANDBY;
            relays.add(new RelayStatus(e, role, connected, ejectedUntil != null ? 0.1 : 0.95 - 0.25 * i, m,
                    Optional.ofNullable(ejectedUntil), history));
            i++;
        }
        return new ClientStatus(Instant.now(), state, Optional.ofNullable(primary), standby, 3, 1234, relays,
                failovers, new ClientStatus.Counters(100, 97, 0, 55, 2, 0, failovers.size(), 0, 0));
    }

    @Override
    public synchronized RelayConfig config() {
        return config;
    }

    @Override
    public synchronized Result<Result.Done> reconfigure(RelayConfig next) {
        reconfigureCalls.incrementAndGet();
        if (reconfigureResult.isOk()) {
            config = next;
        }
        return reconfigureResult;
    }

    @Override
    public <E extends RelayEvent> Subscription subscribe(Class<E> type, Consumer<? super E> listener) {
        @SuppressWarnings("unchecked")
        Listener l = new Listener(type, e -> ((Consumer<RelayEvent>) listener).accept(e));
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    @Override
    public Result<Result.Done> start() {
        return Result.err(ErrorCode.CLOSED, "the test fake does not run an engine");
    }

    @Override
    public void stop() {
    }

    @Override
    public CompletionStage<Result<Delivery>> send(String room, String payload) {
        throw new UnsupportedOperationException("the status server does not send messages");
    }

    @Override
    public Result<Result.Done> join(String room) {
        throw new UnsupportedOperationException("the status server does not join rooms");
    }

    @Override
    public Subscription onMessage(Consumer<InboundMessage> listener) {
        throw new UnsupportedOperationException("the status server does not read messages");
    }
}
