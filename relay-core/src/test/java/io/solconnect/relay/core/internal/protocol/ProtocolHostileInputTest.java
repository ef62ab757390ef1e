package io.solconnect.relay.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ProtocolHostileInputTest {

    static final int LIMIT = 4096;
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final SyncProtocol sync = new SyncProtocol(LIMIT);
    final LegacyProtocol legacy = new LegacyProtocol(LIMIT);
    final ObjectMapper json = new ObjectMapper();

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("invalid JSON", "{\"roomId\": \"r\", \"message\": "),
                Arguments.of("not an object", "[1,2,3]"),
                Arguments.of("a bare string", "\"hello\""),
                Arguments.of("trailing garbage", "{\"roomId\":\"r\",\"message\":\"m\"} {}"),
                Arguments.of("deep nesting", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
                Arguments.of("huge number", "{\"roomId\":\"r\",\"message\":\"m\",\"sequenceNumber\":" + "9".repeat(5000) + "}"),
                Arguments.of("sequence out of long range", "{\"roomId\":\"r\",\"message\":\"m\",\"sequenceNumber\":99999999999999999999}"),
                Arguments.of("negative sequence", "{\"roomId\":\"r\",\"message\":\"m\",\"sequenceNumber\":-1}"),
                Arguments.of("wrong type message", "{\"roomId\":\"r\",\"message\":{\"x\":1}}"),
                Arguments.of("wrong type room", "{\"roomId\":42,\"message\":\"m\"}"),
                Arguments.of("no room", "{\"message\":\"m\"}"),
                Arguments.of("room with control chars", "{\"roomId\":\"a\\u0000b\",\"message\":\"m\"}"),
                Arguments.of("overlong room", "{\"roomId\":\"" + "r".repeat(300) + "\",\"message\":\"m\"}"),
                Arguments.of("wrong type sender", "{\"roomId\":\"r\",\"message\":\"m\",\"sender\":[1]}"),
                Arguments.of("overlong id", "{\"roomId\":\"r\",\"message\":\"m\",\"messageId\":\"" + "x".repeat(300) + "\"}"),
                Arguments.of("wrong type type", "{\"type\":7,\"roomId\":\"r\",\"message\":\"m\"}"),
                Arguments.of("duplicate keys", "{\"roomId\":\"r\",\"roomId\":\"s\",\"message\":\"m\"}"),
                Arguments.of("over the size limit", "{\"roomId\":\"r\",\"message\":\"" + "é".repeat(LIMIT) + "\"}"),
                Arguments.of("ack ids not an array", "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":\"abc\"}"),
                Arguments.of("ack id wrong type", "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":[1,2]}"),
                Arguments.of("sync_response without messages", "{\"type\":\"sync_response\",\"sessionId\":\"r\"}"),
                Arguments.of("sync_response all entries bad", "{\"type\":\"sync_response\",\"sessionId\":\"r\",\"messages\":[{\"message\":5},{}]}"),
                Arguments.of("error of wrong type", "{\"error\":{\"nested\":true}}"),
                Arguments.of("resend from 0", resend("\"o\"", "0", "3")),
                Arguments.of("resend to below from", resend("\"o\"", "5", "4")),
                Arguments.of("resend of too many serials", resend("\"o\"", "1", "10001")),
                Arguments.of("resend with a text serial", resend("\"o\"", "\"1\"", "2")),
                Arguments.of("resend with a fractional serial", resend("\"o\"", "1.5", "2")),
                Arguments.of("resend with a huge serial", resend("\"o\"", "1", "9".repeat(30))),
                Arguments.of("resend without to", "{\"type\":\"resend\",\"roomId\":\"r\",\"message\":\"\",\"origin\":\"o\",\"from\":1}"),
                Arguments.of("resend with an object origin", resend("{}", "1", "2")),
                Arguments.of("resend with an empty origin", resend("\"\"", "1", "2")),
                Arguments.of("resend with an overlong origin", resend("\"" + "o".repeat(600) + "\"", "1", "2")),
                Arguments.of("resend without a room", "{\"type\":\"resend\",\"message\":\"\",\"origin\":\"o\",\"from\":1,\"to\":2}"),
                Arguments.of("empty", ""),
                Arguments.of("NUL bytes", "\u0000\u0000"));
    }

    static String resend(String origin, String from, String to) {
        return "{\"type\":\"resend\",\"roomId\":\"r\",\"message\":\"\",\"sender\":\"s\",\"origin\":" + origin
                + ",\"from\":" + from + ",\"to\":" + to + "}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileFramesAreMalformedNeverThrown(String name, String frame) {
        assertInstanceOf(ProtocolFrame.Malformed.class, sync.decode("ws://r/", frame, NOW), name);
        ProtocolFrame l = legacy.decode("ws://r/", frame, NOW);
        // the legacy decoder ignores typed frames instead of reading them
        assertTrue(l instanceof ProtocolFrame.Malformed || l instanceof ProtocolFrame.Ignored, name + ": " + l);
    }

    @Test
    void unknownFieldsAreIgnoredAndRewrittenIdsDropped() {
        ProtocolFrame f = sync.decode("ws://r/", "{\"roomId\":\"r\",\"message\":\"hi\",\"sender\":\"s\","
                + "\"timestamp\":\"2026-01-01T00:00:01Z\",\"messageId\":\"17\",\"sequenceNumber\":17,\"extra\":{\"a\":[1]}}", NOW);
        InboundMessage m = ((ProtocolFrame.Deliver) f).messages().get(0);
        assertEquals("hi", m.payload());
        assertEquals("s", m.sender());
        assertTrue(m.messageId().isEmpty(), "an id equal to the relay sequence is the relay's, not the sender's");
        assertEquals(17, m.sequence().getAsLong());
        assertEquals(Instant.parse("2026-01-01T00:00:01Z"), m.sentAt().orElseThrow());
    }

    @Test
    void acksAndSyncResponsesDecode() {
        ProtocolFrame a = sync.decode("ws://r/", "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":[\"a\",\"b\"],\"acknowledgedSequences\":[1,2]}", NOW);
        assertEquals(List.of("a", "b"), ((ProtocolFrame.Ack) a).messageIds());
        ProtocolFrame r = sync.decode("ws://r/", "{\"type\":\"sync_response\",\"sessionId\":\"r\",\"messages\":["
                + "{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"c1\",\"timestamp\":\"x\",\"session_id\":\"r\"},\"sequenceNumber\":3},"
                + "{\"message\":{\"ciphertext\":\"\"},\"sequenceNumber\":4},"
                + "{\"message\":7},"
                + "{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"c2\"},\"sequenceNumber\":5}]}", NOW);
        List<InboundMessage> ms = ((ProtocolFrame.Deliver) r).messages();
        assertEquals(List.of("c1", "c2"), ms.stream().map(InboundMessage::payload).toList());
        assertTrue(ms.get(0).sentAt().isEmpty(), "an invalid timestamp is absent, not an error");
        assertInstanceOf(ProtocolFrame.Error.class, sync.decode("ws://r/", "{\"error\":\"Invalid message\"}", NOW));
        assertInstanceOf(ProtocolFrame.Ignored.class, sync.decode("ws://r/", "{\"type\":\"sync_status\",\"status\":\"completed\"}", NOW));
    }

    @Test
    void joinFramesTakeTheChatPathAndOtherClientsIgnoreThem() throws Exception {
        for (var p : List.of(sync, legacy)) {
            String join = p.joinFrames("room", "me").get(0);
            JsonNode n = json.readTree(join);
            assertEquals("room", n.get("roomId").asText());
            assertEquals("", n.get("message").asText(), "a message field, or relay.js throws");
            assertEquals("join", n.get("type").asText(), "not a sync type: relay-sync.js takes the chat path");
            assertInstanceOf(ProtocolFrame.Ignored.class, sync.decode("ws://r/", join, NOW));
            assertInstanceOf(ProtocolFrame.Ignored.class, legacy.decode("ws://r/", join, NOW));
        }
    }

    @Test
    void resendRequestsRoundTripOnTheSyncProtocolOnly() throws Exception {
        SequencedProtocol.Resend r = new SequencedProtocol.Resend("room", "me/abc", 6, 25);
        String frame = sync.resendFrame(r, "member").orElseThrow();
        JsonNode n = json.readTree(frame);
        assertEquals("resend", n.get("type").asText(), "not a sync type: relay-sync.js takes the chat path");
        assertEquals("", n.get("message").asText(), "empty: a relay that stores it returns nothing for it on resume");
        SequencedProtocol.Decoded d = sync.decodeSequenced("ws://r/", frame, NOW);
        assertEquals(Optional.of(r), d.resend());
        assertInstanceOf(ProtocolFrame.Ignored.class, d.frame());
        // the legacy relay has no acks, so a sender keeps nothing it could write again
        assertTrue(legacy.resendFrame(r, "member").isEmpty());
        assertInstanceOf(ProtocolFrame.Ignored.class, legacy.decode("ws://r/", frame, NOW));
        assertEquals(Optional.empty(), legacy.decodeSequenced("ws://r/", frame, NOW).resend());
        // the message written again says so, for a relay that would only acknowledge a known id
        OutboundMessage m = new OutboundMessage("id-1", "room", "me", "payload", NOW);
        JsonNode again = json.readTree(sync.encodeResent(m, new SequencedProtocol.Origin("me/abc", 7)).orElseThrow());
        assertTrue(again.get("resend").asBoolean());
        assertEquals(7, again.get("messages").get(0).get("vectorClock").get("me/abc").asLong());
        assertFalse(json.readTree(sync.encode(m, new SequencedProtocol.Origin("me/abc", 7)).orElseThrow()).has("resend"));
    }

    /** What relay-sync.js returns for a stored join frame: {@code ciphertext: msg.message || msg.ciphertext} is undefined. */
    static final String STORED_JOIN = "{\"message\":{\"sender_wallet\":\"me\",\"timestamp\":\"1970-01-01T00:00:00Z\","
            + "\"session_id\":\"r\"},\"sequenceNumber\":1,\"serverTimestamp\":5,\"originalDeviceId\":null}";

    @Test
    void storedJoinFramesOfTheOriginalRelayAreSkippedQuietly() {
        ProtocolFrame onlyJoins = sync.decode("ws://r/", "{\"type\":\"sync_response\",\"sessionId\":\"r\",\"messages\":["
                + STORED_JOIN + "," + STORED_JOIN + "],\"latestSequence\":2,\"serverVectorClock\":{}}", NOW);
        assertEquals(List.of(), ((ProtocolFrame.Deliver) onlyJoins).messages(), "not malformed: " + onlyJoins);
        SequencedProtocol.Decoded mixed = sync.decodeSequenced("ws://r/", "{\"type\":\"sync_response\",\"sessionId\":\"r\","
                + "\"messages\":[" + STORED_JOIN + ",{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"c\"},"
                + "\"sequenceNumber\":2,\"vectorClock\":{\"w/s\":1}}]}", NOW);
        assertEquals(List.of("c"), ((ProtocolFrame.Deliver) mixed.frame()).messages().stream().map(InboundMessage::payload).toList());
        assertEquals(List.of(Optional.of(new SequencedProtocol.Origin("w/s", 1))), mixed.origins(), "origins stay aligned");
        assertInstanceOf(ProtocolFrame.Malformed.class, sync.decode("ws://r/", "{\"type\":\"sync_response\",\"sessionId\":\"r\","
                + "\"messages\":[{\"message\":{\"ciphertext\":5}}]}", NOW), "a ciphertext of the wrong type is still malformed");
    }

    @Test
    void onlyAResumeReplyMayBeLargerThanAMessageAndItMayComeInParts() {
        SyncProtocol big = new SyncProtocol(LIMIT, 4 * LIMIT);
        String entry = "{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"" + "x".repeat(LIMIT / 2) + "\"},\"sequenceNumber\":%d}";
        String reply = "{\"type\":\"sync_response\",\"sessionId\":\"r\",\"messages\":[" + String.format(entry, 1) + ","
                + String.format(entry, 2) + "," + String.format(entry, 3) + "]}";
        SequencedProtocol.Decoded d = big.decodeSequenced("ws://r/", reply, NOW);
        assertEquals(3, ((ProtocolFrame.Deliver) d.frame()).messages().size(), "a resume reply over maxMessageBytes: " + d.frame());
        assertTrue(d.resumeReply());
        assertFalse(d.morePartsDue(), "one frame: the whole answer");
        assertInstanceOf(ProtocolFrame.Malformed.class, sync.decode("ws://r/", reply, NOW), "over maxResumeBytes (= maxMessageBytes)");
        String chat = "{\"roomId\":\"r\",\"message\":\"m\",\"extra\":[\"" + "x".repeat(LIMIT / 2) + "\",\""
                + "y".repeat(LIMIT / 2) + "\",\"" + "z".repeat(LIMIT / 2) + "\"]}";
        ProtocolFrame f = big.decode("ws://r/", chat, NOW);
        assertTrue(f instanceof ProtocolFrame.Malformed m && m.reason().contains("maxMessageBytes"), "any other frame: " + f);
        SequencedProtocol.Decoded part = big.decodeSequenced("ws://r/", reply.replace("{\"type\"", "{\"more\":true,\"part\":0,\"type\""), NOW);
        assertTrue(part.resumeReply() && part.morePartsDue());
        SequencedProtocol.Decoded last = big.decodeSequenced("ws://r/", reply.replace("{\"type\"", "{\"more\":false,\"part\":1,\"type\""), NOW);
        assertTrue(last.resumeReply() && !last.morePartsDue());
    }

    @Test
    void encodesSyncUpdateWithTheClientIdAndResumeFrames() throws Exception {
        OutboundMessage m = new OutboundMessage("id-1", "room", "me", "payload", NOW);
        JsonNode n = json.readTree(sync.encode(m, new SequencedProtocol.Origin("me/abc", 4)).orElseThrow());
        assertEquals("sync_update", n.get("type").asText());
        assertEquals("room", n.get("sessionId").asText());
        JsonNode entry = n.get("messages").get(0);
        assertEquals("id-1", entry.get("message").get("messageId").asText());
        assertEquals("payload", entry.get("message").get("ciphertext").asText());
        assertEquals(4, entry.get("vectorClock").get("me/abc").asLong());
        JsonNode resume = json.readTree(sync.resumeFrame("room", "me", 12).orElseThrow());
        assertEquals(12, resume.get("lastSyncedSequence").asLong());
        assertEquals(LIMIT, resume.get("maxFrameBytes").asInt(), "relays that can split keep parts below this");
        assertTrue(legacy.resumeFrame("room", "me", 12).isEmpty());
        assertFalse(legacy.acknowledges());
        JsonNode l = json.readTree(legacy.encode(m).orElseThrow());
        assertEquals("id-1", l.get("messageId").asText());
        assertEquals("payload", l.get("message").asText());
    }

    @Test
    void oversizedPayloadIsTooLarge() {
        OutboundMessage m = new OutboundMessage("id", "room", "me", "x".repeat(LIMIT + 1), NOW);
        assertEquals(ErrorCode.TOO_LARGE, sync.encode(m).failure().orElseThrow().code());
        assertEquals(ErrorCode.TOO_LARGE, legacy.encode(m).failure().orElseThrow().code());
        // fits as payload but not once framed
        OutboundMessage edge = new OutboundMessage("id", "room", "me", "x".repeat(LIMIT - 10), NOW);
        assertEquals(ErrorCode.TOO_LARGE, sync.encode(edge).failure().orElseThrow().code());
    }
}
