package io.solconnect.relay.discovery.bootstrap;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.DiscoveredRelays;
import io.solconnect.relay.api.spi.RelayPolicy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The well-formed entries of one document, before their host names are resolved. Entries the
 * engine's {@link RelayPolicy} refuses by URL alone (a local-only name, a private literal, ...), or
 * that repeat an earlier relay, are refused here at once, so that such names are never looked up
 * and only plausible relays count towards the cap. (The engine checks the result again, with the
 * resolved addresses.) Not thread-safe: one lookup, one thread.
 */
final class Candidates {

    /** One relay waiting for its host to be resolved. */
    record Candidate(String where, RelayEndpoint relay) {
    }

    private final DiscoveredRelays found;
    private final RelayPolicy policy;
    private final int cap;
    private final List<Candidate> list = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    Candidates(DiscoveredRelays found, RelayPolicy policy, int cap) {
        this.found = found;
        this.policy = policy;
        this.cap = cap;
    }

    boolean full() {
        return list.size() >= cap;
    }

    void offer(String where, RelayEndpoint relay) {
        Optional<String> why = policy.refusal(relay);
        if (why.isPresent()) {
            found.reject(where, ErrorCode.FORBIDDEN, why.get());
        } else if (!ids.add(relay.id())) {
            found.reject(where, ErrorCode.BAD_INPUT, "duplicate of relay " + relay.id());
        } else {
            list.add(new Candidate(where, relay));
        }
    }

    void reject(String where, ErrorCode code, String reason) {
        found.reject(where, code, reason);
    }

    void skippedOverCap(int count) {
        found.skippedOverCap(count);
    }

    List<Candidate> list() {
        return List.copyOf(list);
    }
}
