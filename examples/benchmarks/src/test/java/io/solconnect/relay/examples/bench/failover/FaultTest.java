package io.solconnect.relay.examples.bench.failover;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fault names of {@code --faults} and which faults need relays in network namespaces. */
class FaultTest {

    @Test
    void partitionIsAFaultAndOnlyItNeedsNamespaces() {
        assertEquals(List.of(Fault.CRASH, Fault.PARTITION), Fault.parse("crash,partition"));
        assertTrue(Fault.PARTITION.needsNamespaces());
        for (Fault f : List.of(Fault.CRASH, Fault.BLACKHOLE, Fault.SLOW)) {
            assertFalse(f.needsNamespaces(), f.label());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fault.parse("partiton"));
        assertTrue(e.getMessage().contains("partition"), e.getMessage());
    }
}
