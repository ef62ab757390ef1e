package io.solconnect.relay.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.spi.BatchingProtocol;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code sync_update} frames joined into one whose {@code messages} carry them all. */
class SyncBatchingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final SyncProtocol sync = new SyncProtocol(4096);
    final BatchingProtocol batching = sync.batching().orElseThrow();

    String frame(String room, String id, String payload, long serial, boolean resent) {
        OutboundMessage m = new OutboundMessage(id, room, "me", payload, Instant.ofEpochMilli(1000 + serial));
        SequencedProtocol.Origin o = new SequencedProtocol.Origin("me/s", serial);
        return (resent ? sync.encodeResent(m, o) : sync.encode(m, o)).orElseThrow();
    }

    @Test
    void framesOfOneRoomJoinIntoOneSyncUpdateWithEveryEntryInOrder() throws Exception {
        // payloads that look like the markers the join looks for must stay inside their strings
        List<String> payloads = List.of("a", "\"messages\":[ tricky ]}", ",\"timestamp\":\"x\"");
        List<String> frames = List.of(frame("r", "id1", payloads.get(0), 1, false),
                frame("r", "id2", payloads.get(1), 2, false), frame("r", "id3", payloads.get(2), 3, false));
        String joined = batching.join(frames).orElseThrow();
        assertTrue(joined.length() < frames.stream().mapToInt(String::length).sum(), "shorter than its parts");
        JsonNode n = JSON.readTree(joined);
        assertEquals("sync_update", n.get("type").asText());
        assertEquals("r", n.get("sessionId").asText());
        assertEquals(3, n.get("messages").size());
        for (int i = 0; i < 3; i++) {
            JsonNode e = n.get("messages").get(i);
            assertEquals(payloads.get(i), e.get("message").get("ciphertext").asText());
            assertEquals("id" + (i + 1), e.get("message").get("messageId").asText());
            assertEquals(i + 1, e.get("vectorClock").get("me/s").asLong());
        }
    }

    @Test
    void framesThatCannotShareOneAreNotJoined() {
        String a = frame("r", "id1", "a", 1, false);
        assertEquals(Optional.empty(), batching.join(List.of(a, frame("other", "id2", "b", 1, false))), "two rooms");
        assertEquals(Optional.empty(), batching.join(List.of(a, frame("r", "id2", "b", 2, true))), "resent beside ordinary");
        assertTrue(batching.join(List.of(frame("r", "id1", "a", 1, true), frame("r", "id2", "b", 2, true))).isPresent(),
                "resent ones join");
        assertEquals(Optional.empty(), batching.join(List.of(a, "{\"roomId\":\"r\",\"message\":\"x\"}")), "not a sync_update");
        assertEquals(Optional.empty(), batching.join(List.of(a, a.replace("]}", "]}  "))), "not of this codec's shape");
        String big = "x".repeat(1500);
        assertEquals(Optional.empty(), batching.join(List.of(frame("r", "1", big, 1, false), frame("r", "2", big, 2, false),
                frame("r", "3", big, 3, false))), "over maxMessageBytes");
    }
}
