package io.solconnect.relay.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A relay started with a fleet id says so on every connection, over a real loopback socket. */
class RelayServerFleetIdTest {

    private static TestClient.Factory clients;

    @BeforeAll
    static void transport() {
        clients = new TestClient.Factory();
    }

    @AfterAll
    static void closeTransport() {
        clients.close();
    }

    private static final String JOIN = "{\"type\":\"join\",\"roomId\":\"r\",\"messageId\":\"j\"}";
    private static final String RESUME = "{\"type\":\"sync_request\",\"sessionId\":\"r\",\"deviceId\":\"d\","
            + "\"lastSyncedSequence\":0}";

    @Test
    void aFleetRelaySendsRelayInfoFirstAndItsIdInEachSyncResponse() throws Exception {
        try (RelayServer server = RelayServer.start(RelayServerOptions.ofDefaults().withFleetId("fleet-1.eu:a"));
             TestClient c = clients.connect(server.uri())) {
            JsonNode info = c.next();
            assertEquals("relay_info", info.path("type").asText(), info::toString);
            assertEquals("fleet-1.eu:a", info.path("fleetId").asText());
            c.send(JOIN);
            assertEquals("sync_ack", c.next().path("type").asText());
            c.send(RESUME);
            JsonNode resp = c.next();
            assertEquals("sync_response", resp.path("type").asText(), resp::toString);
            assertEquals("fleet-1.eu:a", resp.path("fleetId").asText());
        }
    }

    @Test
    void eachPartOfASplitSyncResponseCarriesTheFleetId() throws Exception {
        try (RelayServer server = RelayServer.start(RelayServerOptions.ofDefaults().withFleetId("f"));
             TestClient c = clients.connect(server.uri())) {
            assertEquals("relay_info", c.next().path("type").asText());
            c.send(JOIN);
            assertEquals("sync_ack", c.next().path("type").asText());
            String text = "x".repeat(300);
            for (int i = 0; i < 12; i++) {
                c.send("{\"roomId\":\"r\",\"message\":\"" + text + "\",\"sender\":\"s\",\"timestamp\":1,"
                        + "\"messageId\":\"m" + i + "\"}");
                assertEquals("sync_ack", c.next().path("type").asText());
            }
            c.send("{\"type\":\"sync_request\",\"sessionId\":\"r\",\"deviceId\":\"d\",\"lastSyncedSequence\":0,"
                    + "\"maxFrameBytes\":1024}");
            int parts = 0;
            int entries = 0;
            JsonNode resp;
            do {
                resp = c.next();
                assertEquals("sync_response", resp.path("type").asText(), resp::toString);
                assertEquals("f", resp.path("fleetId").asText(), resp::toString);
                parts++;
                entries += resp.path("messages").size();
            } while (resp.path("more").asBoolean());
            assertTrue(parts > 1, "split into parts: " + parts);
            assertEquals(12, entries);
        }
    }

    @Test
    void aRelayOfNoFleetSaysNothingAboutOne() throws Exception {
        try (RelayServer server = RelayServer.start(RelayServerOptions.ofDefaults());
             TestClient c = clients.connect(server.uri())) {
            c.send(JOIN);
            JsonNode first = c.next();
            assertEquals("sync_ack", first.path("type").asText(), "no relay_info before it: " + first);
            c.send(RESUME);
            JsonNode resp = c.next();
            assertEquals("sync_response", resp.path("type").asText(), resp::toString);
            assertFalse(resp.has("fleetId"), resp::toString);
        }
    }

    @Test
    void aMalformedFleetIdIsRefusedByName() {
        RelayServerOptions d = RelayServerOptions.ofDefaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withFleetId("bad id!"));
        assertEquals("fleetId must be 1..128 characters of [A-Za-z0-9._:-], was 'bad id!'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withFleetId("x".repeat(129)));
        assertThrows(IllegalArgumentException.class, () -> d.withFleetId(""));
        assertEquals(Optional.of("f"), d.withFleetId("f").withPort(1234).fleetId(), "kept by the other copies");
    }
}
