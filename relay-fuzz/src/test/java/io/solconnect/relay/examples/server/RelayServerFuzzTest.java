package io.solconnect.relay.examples.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the reference relay's frame handling ({@link SyncRelay#onFrame}) with any sequence of
 * frames from two connections. The input is split at newlines; frame i comes from connection
 * {@code i % 2}; both connections then leave. Limits are small so that the room, history,
 * device and rate caps are reached. The contract: {@code onFrame} never throws (bad input gets an
 * {@code {"error": ...}} reply), and everything the relay sends is a JSON object, an error reply
 * carrying a non-blank message.
 *
 * <p>Self-contained (this file and its inputs directory) so it can move with the server.
 */
class RelayServerFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest
    @DictionaryEntries({"\"roomId\"", "\"sessionId\"", "\"message\"", "\"sender\"", "\"timestamp\"", "\"messageId\"", "\"sequenceNumber\"", "\"type\"", "\"join\"", "\"resend\"", "\"sync_ack\"", "\"sync_response\"", "\"acknowledgedMessageIds\"", "\"messages\"", "\"ciphertext\"", "\"sender_wallet\"", "\"vectorClock\"", "\"origin\"", "\"from\"", "\"to\"", "\"error\"", "\"2026-12-03T12:00:00Z\"", "\"deviceId\"", "\"device_announce\"", "\"sync_update\"", "\"sync_request\"", "\"sync_heartbeat\"", "\"lastSyncedSequence\""})
    void frames(byte[] input) {
        RelayServerOptions options = new RelayServerOptions("127.0.0.1", 0, "/", 64 * 1024, 16, 64, 8,
                new RelayServerOptions.Limits(4, 1000, 64 * 1024, 4, 5));
        SyncRelay relay = new SyncRelay(options, new SteppingClock());
        Recorder[] peers = {new Recorder(), new Recorder()};
        String[] frames = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < frames.length; i++) {
            relay.onFrame(peers[i % 2], frames[i]);
        }
        relay.onLeave(peers[0]);
        relay.onLeave(peers[1]);
        for (Recorder p : peers) {
            for (String sent : p.sent) {
                JsonNode node;
                try {
                    node = JSON.readTree(sent);
                } catch (IOException e) {
                    fail("the relay sent something that is not JSON: " + sent, e);
                    return;
                }
                assertTrue(node.isObject(), () -> "not an object: " + sent);
                if (node.has("error")) {
                    assertTrue(node.get("error").isTextual(), () -> "error not text: " + sent);
                    assertFalse(node.get("error").asText().isBlank());
                }
            }
        }
    }

    /** A connection that keeps what it was sent. */
    private static final class Recorder implements Peer {
        final List<String> sent = new ArrayList<>();

        @Override
        public void send(String text) {
            sent.add(text);
        }
    }

    /** A clock that moves 10 ms at each reading, so rate limits both trip and reset. */
    private static final class SteppingClock extends Clock {
        private long millis = 1_800_000_000_000L;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            millis += 10;
            return millis;
        }
    }
}
