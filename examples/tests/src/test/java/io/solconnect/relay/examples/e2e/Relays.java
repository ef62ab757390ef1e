package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.examples.server.RelayServer;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few example relays on loopback for one test, closed together; plus delivery checks. */
final class Relays implements AutoCloseable {

    private final List<RelayServer> servers = new ArrayList<>();

    Relays(int count) throws IOException {
        this(count, null);
    }

    /** {@code count} relays of one fleet sharing the JetStream stream {@code fleet} names (none when null). */
    Relays(int count, io.solconnect.relay.examples.server.JetStreamOptions fleet) throws IOException {
        try {
            for (int i = 0; i < count; i++) {
                servers.add(fleet == null ? RelayServer.start()
                        : RelayServer.start(io.solconnect.relay.examples.server.RelayServerOptions.ofDefaults(), fleet));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    RelayServer get(int i) {
        return servers.get(i);
    }

    URI[] uris() {
        return servers.stream().map(RelayServer::uri).toArray(URI[]::new);
    }

    /** The server a relay id (its URL) names. */
    RelayServer byId(String relayId) {
        int port = URI.create(relayId).getPort();
        return servers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no relay of ours is " + relayId));
    }

    @Override
    public void close() {
        for (RelayServer s : servers) {
            try {
                s.kill(); // fast: no graceful close handshakes with clients that are already gone
                s.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
    }

    /** The test payload of sequence {@code seq}. */
    static String payload(int seq) {
        return "m-" + seq;
    }

    /**
     * Asserts that the messages hold payloads {@code m-1..m-count} exactly once each, in order,
     * all from one sender.
     */
    /** The payload of the end marker {@link #assertNothingLate} sends. */
    static final String END = "end-marker";

    /**
     * Catches copies that come after the counts were reached (a later re-publication, catch-up or
     * resend) and echoes: the sender sends an end marker, which per-sender order puts after its
     * {@code count} messages; once the receiver has it, the receiver listens {@code extra} more.
     * Nothing but the {@code count} messages and the marker may have arrived, each once, in order,
     * and the sender must have got none of them back.
     */
    static void assertNothingLate(E2EClient sender, E2EClient receiver, String room, int count, Duration extra)
            throws Exception {
        sender.send(room, END);
        receiver.await("the end marker", () -> receiver.received().stream().anyMatch(m -> m.payload().equals(END)));
        List<InboundMessage> got = receiver.listenForMoreThan(count + 1, extra);
        assertEquals(count + 1, got.size(), () -> "delivered after the end marker: " + got.subList(count, got.size()));
        assertEquals(END, got.get(count).payload(), "the marker comes last");
        assertExactlyOnceInOrder(got.subList(0, count), count);
        assertTrue(sender.received().stream().noneMatch(m -> m.payload().startsWith("m-") || m.payload().equals(END)),
                () -> "the sender got its own messages back: " + sender.received());
    }

    static void assertExactlyOnceInOrder(List<InboundMessage> messages, int count) {
        Set<String> senders = new HashSet<>();
        Set<Integer> seen = new HashSet<>();
        List<Integer> duplicates = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (InboundMessage m : messages) {
            assertTrue(m.payload().startsWith("m-"), () -> "foreign message delivered: " + m);
            int seq = Integer.parseInt(m.payload().substring(2));
            senders.add(m.sender());
            if (!seen.add(seq)) {
                duplicates.add(seq);
            }
            order.add(seq);
        }
        assertEquals(List.of(), duplicates, "duplicates delivered");
        Set<Integer> missing = new HashSet<>();
        for (int i = 1; i <= count; i++) {
            if (!seen.contains(i)) {
                missing.add(i);
            }
        }
        assertEquals(Set.of(), missing, "lost messages");
        assertEquals(count, seen.size(), "unexpected extra messages");
        for (int i = 1; i < order.size(); i++) {
            int a = order.get(i - 1);
            int b = order.get(i);
            assertTrue(a < b, "per-sender order broken at position " + i + ": m-" + a + " then m-" + b);
        }
        assertEquals(1, senders.size(), () -> "one sender expected, got " + senders);
    }
}
