package io.solconnect.relay.discovery.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.spi.DiscoveredRelays;
import io.solconnect.relay.api.spi.RelayPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the bootstrap document parser ({@link RelayListParser}) with any response body. The
 * contract: the document is usable (empty) or refused with one {@link ErrorCode#BAD_INPUT} error,
 * never an exception; at most the cap of candidates, each a valid endpoint; every rejection line
 * printable. Round trip: the accepted relays, written back as a document, parse to the same relays.
 */
class RelayListFuzzTest {

    private static final int CAP = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Any bytes as the body of a bootstrap response. */
    @FuzzTest
    @DictionaryEntries({"\"relays\"", "\"url\"", "\"region\"", "\"priority\"", "\"maxConnections\"", "\"weight\"", "\"wss://relay.example.org/ws\"", "\"ws://127.0.0.1:8080/\""})
    void parse(byte[] body) {
        DiscoveredRelays found = new DiscoveredRelays("bootstrap", CAP);
        Candidates candidates = new Candidates(found, RelayPolicy.refuseNothing(), CAP);
        Optional<RelayError> shape = RelayListParser.parse(body, candidates);
        assertNotNull(shape);
        shape.ifPresent(e -> {
            assertEquals(ErrorCode.BAD_INPUT, e.code());
            assertFalse(e.message().isBlank());
        });
        List<Candidates.Candidate> list = candidates.list();
        assertTrue(list.size() <= CAP, "over the cap: " + list.size());
        for (RelayError r : found.rejections()) {
            assertTrue(r.message().chars().noneMatch(c -> c < 0x20 || c == 0x7f), () -> "unprintable: " + r.message());
        }
        if (shape.isEmpty() && !list.isEmpty()) {
            checkRoundTrip(list.stream().map(Candidates.Candidate::relay).toList());
        }
    }

    private static void checkRoundTrip(List<RelayEndpoint> relays) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode array = doc.putArray("relays");
        for (RelayEndpoint r : relays) {
            array.addObject().put("url", r.url().toString()).put("region", r.region()).put("priority", r.priority())
                    .put("maxConnections", r.maxConnections()).put("weight", r.weight());
        }
        DiscoveredRelays again = new DiscoveredRelays("bootstrap", CAP);
        Candidates back = new Candidates(again, RelayPolicy.refuseNothing(), CAP);
        assertEquals(Optional.empty(), RelayListParser.parse(doc.toString().getBytes(StandardCharsets.UTF_8), back));
        assertEquals(relays, back.list().stream().map(Candidates.Candidate::relay).toList(),
                () -> "relays do not read back; rejections " + again.rejections());
    }
}
