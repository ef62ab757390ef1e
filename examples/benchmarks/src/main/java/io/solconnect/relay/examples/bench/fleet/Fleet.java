package io.solconnect.relay.examples.bench.fleet;

import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.examples.server.JetStreamOptions;
import io.solconnect.relay.examples.server.RelayServer;
import io.solconnect.relay.examples.server.RelayServerOptions;
import io.solconnect.relay.examples.server.nats.NatsServerProcess;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bench fleet} runs against: one {@code nats-server} JetStream node on loopback
 * ({@link NatsServerProcess#startSingle()}; one node, since the benchmark measures the relays and
 * the client's choice, not NATS replication) and relays on loopback that share its stream
 * ({@code relay-server --backplane}); optionally one of them slowed by the relay's fault filter
 * ({@link RelayServer#slow(Duration)}: every read from every connection, frames and pings alike, is
 * held back that long). Not thread-safe: made and closed by the benchmark's thread.
 */
final class Fleet implements AutoCloseable {

    private final NatsServerProcess nats;
    private final List<RelayServer> relays = new ArrayList<>();
    private final List<RelayEndpoint> endpoints = new ArrayList<>();
    private final Optional<String> slowRelay;

    private Fleet(NatsServerProcess nats) {
        this.nats = nats;
        this.slowRelay = Optional.empty();
    }

    private Fleet(NatsServerProcess nats, int relayCount, Duration slowBy) throws IOException {
        this.nats = nats;
        JetStreamOptions js = JetStreamOptions.of(List.of(nats.uri()));
        // the relays say they are one fleet, as `relay-server --backplane` does by default: without
        // it the clients treat them as sharing nothing (session affinity, standby copies)
        RelayServerOptions options = RelayServerOptions.ofDefaults().withFleetId("jetstream:" + js.stream());
        for (int i = 0; i < relayCount; i++) {
            addRelay(RelayServer.start(options, js));
        }
        if (!slowBy.isZero()) {
            relays.get(0).slow(slowBy);
            slowRelay = Optional.of(endpoints.get(0).id());
        } else {
            slowRelay = Optional.empty();
        }
    }

    /**
     * Starts a NATS node and {@code relayCount} relays on its stream, the first slowed by
     * {@code slowBy}.
     *
     * @param relayCount how many relays
     * @param slowBy     the added delay per read of the first relay; zero for none
     * @return the running fleet
     * @throws IOException when nats-server is missing or a relay cannot start or reach it
     */
    static Fleet start(int relayCount, Duration slowBy) throws IOException {
        NatsServerProcess nats = NatsServerProcess.startSingle();
        try {
            return new Fleet(nats, relayCount, slowBy);
        } catch (IOException | RuntimeException e) {
            nats.close();
            throw e;
        }
    }

    /**
     * Starts a NATS node and two relays that do not form a fleet: the first alone (in-memory
     * history, no backplane), the second on the node's stream. For the throughput mode.
     *
     * @return the running pair
     * @throws IOException when nats-server is missing or a relay cannot start or reach it
     */
    static Fleet startPair() throws IOException {
        NatsServerProcess nats = NatsServerProcess.startSingle();
        Fleet f = new Fleet(nats);
        try {
            f.addRelay(RelayServer.start());
            f.addRelay(RelayServer.start(RelayServerOptions.ofDefaults(), JetStreamOptions.of(List.of(nats.uri()))));
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void addRelay(RelayServer s) {
        relays.add(s);
        endpoints.add(RelayEndpoint.of(s.uri().toString()));
    }

    /**
     * The relays' endpoints, in start order.
     *
     * @return the endpoints
     */
    List<RelayEndpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    /**
     * The slowed relay's id.
     *
     * @return its id, empty when none is slowed
     */
    Optional<String> slowRelay() {
        return slowRelay;
    }

    /**
     * Where the relays' messages go.
     *
     * @return the NATS node's URL
     */
    String natsUri() {
        return nats.uri().toString();
    }

    /** Stops the relays, then the NATS node (its store is removed). */
    @Override
    public void close() {
        for (RelayServer r : relays) {
            r.close();
        }
        nats.close();
    }
}
