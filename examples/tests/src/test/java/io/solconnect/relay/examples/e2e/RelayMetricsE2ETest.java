package io.solconnect.relay.examples.e2e;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.metrics.micrometer.RelayMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RelayMetrics} on a real client after a scripted failover: three example relays on
 * loopback, a sender and a receiver; the sender's primary is killed between two batches. The
 * registry's clock is a {@link MockClock}, moved past the snapshot age before each read so that
 * every read sees the client as it is now.
 */
class RelayMetricsE2ETest {

    private static final String ROOM = "metrics-room";

    @Test
    void countersGaugesAndTheFailoverTimerAfterAFailover() throws Exception {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
        try (Relays relays = new Relays(3);
             E2EClient receiver = new E2EClient(E2EClient.config(relays.uris()).build());
             E2EClient sender = new E2EClient(E2EClient.config(relays.uris()).build());
             RelayMetrics metrics = new RelayMetrics(sender.manager());
             RelayMetrics receiverMetrics = new RelayMetrics(receiver.manager())) {
            metrics.bindTo(registry);
            metrics.bindTo(prometheus);
            SimpleMeterRegistry receiverRegistry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
            receiverMetrics.bindTo(receiverRegistry);
            receiver.start(ROOM);
            sender.start(ROOM);
            assertTrue(sender.manager().awaitConnected(E2EClient.PATIENCE).isOk());
            assertTrue(receiver.manager().awaitConnected(E2EClient.PATIENCE).isOk());
            for (int i = 1; i <= 50; i++) {
                sender.send(ROOM, Relays.payload(i));
            }
            assertEquals(0, sender.awaitSends());
            String primary = sender.manager().status().primary().orElseThrow();
            int mark = sender.eventCount();
            relays.byId(primary).kill();
            RelayEvent.Failover failover = sender.awaitEvent(RelayEvent.Failover.class, mark, f -> true);
            sender.awaitEvent(RelayEvent.StateChanged.class, mark, s -> s.to() == SessionState.CONNECTED);
            for (int i = 51; i <= 100; i++) {
                sender.send(ROOM, Relays.payload(i));
            }
            assertEquals(0, sender.awaitSends());
            receiver.awaitReceived(100);

            clock.add(RelayMetrics.SNAPSHOT_MAX_AGE);
            ClientStatus status = sender.manager().status();
            assertEquals(100, registry.get("relay.messages.sent").functionCounter().count());
            assertEquals(status.counters().acknowledged(), registry.get("relay.messages.acknowledged").functionCounter().count());
            assertTrue(status.counters().acknowledged() >= 100, status.counters().toString());
            assertEquals(0, registry.get("relay.messages.failed").functionCounter().count());
            assertEquals(status.counters().failovers(), registry.get("relay.failovers").functionCounter().count());
            assertTrue(status.counters().failovers() >= 1);
            Timer timer = registry.get("relay.failover").timer();
            assertEquals(sender.events(RelayEvent.Failover.class).size(), timer.count());
            assertTrue(timer.totalTime(TimeUnit.NANOSECONDS) >= failover.duration().toNanos());
            assertEquals(1, registry.get("relay.session.state").tag("state", "connected").gauge().value());
            assertEquals(0, registry.get("relay.session.state").tag("state", "failing_over").gauge().value());
            assertEquals(0, registry.get("relay.outbox.messages").gauge().value());
            assertEquals(0, registry.get("relay.outbox.bytes").gauge().value());
            String now = status.primary().orElseThrow();
            assertNotEquals(primary, now);
            assertEquals(3, registry.get("relay.health.score").gauges().size(), "one per relay");
            assertEquals(1, registry.get("relay.connection.open").tag("relay", now).gauge().value());
            assertEquals(0, registry.get("relay.connection.open").tag("relay", primary).gauge().value());
            double score = status.relays().stream().filter(r -> r.endpoint().id().equals(now)).findFirst().orElseThrow().score();
            assertEquals(score, registry.get("relay.health.score").tag("relay", now).gauge().value());
            double rtt = registry.get("relay.rtt").tag("relay", now).timeGauge().value(TimeUnit.MILLISECONDS);
            assertTrue(rtt >= 0 || Double.isNaN(rtt), "rtt " + rtt);

            clock.add(RelayMetrics.SNAPSHOT_MAX_AGE);
            assertEquals(100, receiverRegistry.get("relay.messages.delivered").functionCounter().count());
            assertEquals(receiver.manager().status().counters().duplicatesSuppressed(),
                    receiverRegistry.get("relay.messages.duplicates.dropped").functionCounter().count());

            String scrape = prometheus.scrape();
            assertTrue(scrape.contains("relay_messages_sent_total 100.0"), scrape);
            assertTrue(scrape.contains("relay_failover_seconds_count"), scrape);
            assertTrue(scrape.contains("relay_health_score{relay=\"" + now + "\"}"), scrape);
            assertTrue(scrape.contains("relay_outbox_bytes"), scrape);

            metrics.close();
            assertNull(registry.find("relay.messages.sent").functionCounter(), "close removes the meters");
            assertFalse(registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("relay.")));
        } finally {
            prometheus.close();
        }
    }

    @Test
    void oneSnapshotServesEveryMeterReadWithinItsAge() throws Exception {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        try (Relays relays = new Relays(1);
             E2EClient sender = new E2EClient(E2EClient.config(relays.uris()).build());
             RelayMetrics metrics = new RelayMetrics(sender.manager())) {
            metrics.bindTo(registry);
            sender.start(ROOM);
            assertTrue(sender.manager().awaitConnected(E2EClient.PATIENCE).isOk());
            clock.add(RelayMetrics.SNAPSHOT_MAX_AGE);
            assertEquals(0, registry.get("relay.messages.sent").functionCounter().count());
            sender.send(ROOM, "x");
            assertEquals(0, sender.awaitSends());
            assertEquals(0, registry.get("relay.messages.sent").functionCounter().count(), "still the same scrape");
            clock.add(Duration.ofMillis(RelayMetrics.SNAPSHOT_MAX_AGE.toMillis()));
            assertEquals(1, registry.get("relay.messages.sent").functionCounter().count(), "the next scrape");
        }
    }
}
