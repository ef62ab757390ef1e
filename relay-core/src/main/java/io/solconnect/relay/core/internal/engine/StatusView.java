package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayRole;
import io.solconnect.relay.api.RelayStatus;
import io.solconnect.relay.api.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the status snapshot from the parts that own each piece. Runs on the engine loop, so the
 * snapshot is consistent.
 */
final class StatusView {

    private final Scheduler scheduler;
    private final SessionStateMachine state;
    private final Links links;
    private final RelayBook book;
    private final OutboxWriter writer;
    private final FailoverCoordinator coordinator;
    private final Inbound inbound;
    private final Counters counters;

    StatusView(Scheduler scheduler, SessionStateMachine state, Links links, RelayBook book, OutboxWriter writer,
               FailoverCoordinator coordinator, Inbound inbound, Counters counters) {
        this.scheduler = scheduler;
        this.state = state;
        this.links = links;
        this.book = book;
        this.writer = writer;
        this.coordinator = coordinator;
        this.inbound = inbound;
        this.counters = counters;
    }

    ClientStatus snapshot() {
        long now = scheduler.nanoTime();
        Link primary = links.primary();
        List<RelayStatus> list = new ArrayList<>();
        for (RelayEntry r : book.all()) {
            RelayRole role;
            boolean connected;
            if (primary != null && primary.relay() == r) {
                role = RelayRole.PRIMARY;
                connected = true;
            } else if (links.standbys().stream().anyMatch(s -> s.relay() == r && s.open())) {
                role = RelayRole.STANDBY;
                connected = true;
            } else if (r.draining()) {
                role = RelayRole.DRAINING;
                connected = false;
            } else if (r.ejected(now)) {
                role = RelayRole.EJECTED;
                connected = false;
            } else {
                role = RelayRole.CANDIDATE;
                connected = false;
            }
            Optional<Instant> until = r.ejected(now)
                    ? Optional.of(scheduler.now().plusNanos(r.ejectedUntilNanos() - now)) : Optional.empty();
            list.add(new RelayStatus(r.endpoint(), role, connected, r.score(), r.recorder().snapshot(), until,
                    r.recorder().rttHistory()));
        }
        return new ClientStatus(scheduler.now(), state.state(), Optional.ofNullable(primary).map(Link::id),
                links.standbys().stream().filter(Link::open).map(Link::id).toList(), writer.size(), writer.bytes(), list,
                coordinator.recentFailovers(), new ClientStatus.Counters(counters.sentCount(),
                counters.acknowledgedCount(), counters.failedCount(), inbound.delivered(), inbound.duplicates(),
                counters.malformedCount(), counters.failoverCount(), counters.resendsAskedCount(), counters.resentCount(),
                counters.limitsExceededCount(), inbound.serialsRefused(), counters.resendsThrottledCount(),
                counters.acksRefusedCount(), inbound.foreignDropped(), counters.republishedCount()));
    }
}
