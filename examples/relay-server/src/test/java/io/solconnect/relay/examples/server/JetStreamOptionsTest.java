package io.solconnect.relay.examples.server;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JetStreamOptionsTest {

    @Test
    void parsesAServerListIntoTheDefaults() {
        JetStreamOptions o = JetStreamOptions.parse(" nats://127.0.0.1:4222, nats://127.0.0.1:4223,");
        assertEquals(List.of(URI.create("nats://127.0.0.1:4222"), URI.create("nats://127.0.0.1:4223")), o.servers());
        assertEquals("SOLCONNECT", o.stream());
        assertEquals("solconnect.room", o.subjectPrefix());
        assertEquals(1, o.replicas());
        assertEquals(Duration.ofMinutes(2), o.duplicateWindow());
        assertEquals(Duration.ofSeconds(10), o.publishTimeout());
        assertEquals(3, o.withReplicas(3).replicas());
        assertEquals(Duration.ofSeconds(1), o.withPublishTimeout(Duration.ofSeconds(1)).publishTimeout());
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JetStreamOptions.parse(""))
                .getMessage().contains("at least one NATS server"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JetStreamOptions.parse("nats://h"))
                .getMessage().contains("nats://HOST:PORT, was nats://h"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JetStreamOptions.parse("nats://h:1 x"))
                .getMessage().contains("not a NATS server URI"));
        JetStreamOptions o = JetStreamOptions.parse("nats://h:1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.withReplicas(6)).getMessage()
                .contains("replicas must be 1..5, was 6"));
        assertThrows(IllegalArgumentException.class, () -> new JetStreamOptions(o.servers(), "a.b", o.subjectPrefix(),
                1, o.duplicateWindow(), o.publishTimeout(), 1));
        assertThrows(IllegalArgumentException.class, () -> new JetStreamOptions(o.servers(), "S", "a..b",
                1, o.duplicateWindow(), o.publishTimeout(), 1));
        assertThrows(IllegalArgumentException.class, () -> o.withPublishTimeout(Duration.ZERO));
    }
}
