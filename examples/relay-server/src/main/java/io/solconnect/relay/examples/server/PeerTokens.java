package io.solconnect.relay.examples.server;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names the peers of one relay run for the shared log: a message carries its sender's token, so
 * that the relay it came through can leave the sender out when the log delivers it back. Tokens of
 * other relays (or of an earlier run) name no peer here. Thread-safe.
 */
final class PeerTokens {

    private final String relay = UUID.randomUUID().toString();
    private final AtomicLong serial = new AtomicLong();
    private final Map<Peer, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    /** The peer's token, made on first use. */
    String tokenOf(Peer p) {
        return tokens.computeIfAbsent(p, k -> {
            String t = relay + "/" + serial.incrementAndGet();
            peers.put(t, k);
            return t;
        });
    }

    /** The peer of this relay run with this token. */
    Optional<Peer> peerOf(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(peers.get(token));
    }

    /** Forgets a peer that left. */
    void forget(Peer p) {
        String t = tokens.remove(p);
        if (t != null) {
            peers.remove(t);
        }
    }
}
