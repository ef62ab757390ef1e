package io.solconnect.relay.core;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.internal.logging.LogContext;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every line the engine, pool, discovery and store log, and every listener call, carries the
 * session's MDC key; lines about one relay carry the relay's; the thread is left as it was.
 */
class LogContextTest {

    @Test
    void everyLineOfAClientCarriesItsSessionAndLinesAboutARelayItsId() {
        VirtualScheduler vs = new VirtualScheduler();
        SimNetwork net = new SimNetwork(vs);
        SimRelay a = net.relay("ws://127.0.0.1:9501/");
        net.relay("ws://127.0.0.1:9502/");
        net.relay("ws://127.0.0.1:9503/");
        RelayConfig cfg = Clients.config(net).build();
        List<String> listenerSessions = new CopyOnWriteArrayList<>();
        List<ILoggingEvent> lines;
        Client client;
        try (LogCapture log = new LogCapture()) {
            client = Clients.client(net, vs, cfg, 7);
            client.manager.onMessage(m -> listenerSessions.add(String.valueOf(MDC.get(LogContext.SESSION))));
            client.manager.subscribe(io.solconnect.relay.api.RelayEvent.class,
                    e -> listenerSessions.add(String.valueOf(MDC.get(LogContext.SESSION))));
            client.manager.join("room");
            assertTrue(client.manager.start().isOk());
            vs.advanceUntil(() -> client.manager.status().state() == SessionState.CONNECTED, Duration.ofSeconds(1));
            Client other = Clients.started(net, vs, cfg, 8);
            other.manager.send("room", "hello");
            vs.advance(Duration.ofMillis(50));
            SimRelay primary = net.relayById(client.manager.status().primary().orElseThrow());
            primary.closeAll(1011, "crash");
            vs.advanceUntil(() -> client.manager.status().counters().failovers() >= 1, Duration.ofSeconds(5));
            vs.advance(Duration.ofSeconds(2));
            client.manager.stop();
            other.manager.stop();
            vs.advance(Duration.ofMillis(10));
            lines = log.events();
        }
        List<ILoggingEvent> ours = lines.stream().filter(e -> e.getLoggerName().startsWith("io.solconnect.relay.core"))
                .filter(e -> !e.getLoggerName().contains(".sim.")).toList();
        assertTrue(ours.size() > 5, "the scenario logs: " + ours.size());
        List<String> missing = ours.stream().filter(e -> e.getMDCPropertyMap().get(LogContext.SESSION) == null)
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        assertEquals(List.of(), missing, "lines without " + LogContext.SESSION);
        Set<String> sessions = ours.stream().map(e -> e.getMDCPropertyMap().get(LogContext.SESSION)).collect(Collectors.toSet());
        assertTrue(sessions.contains(client.manager.session()), sessions.toString());
        assertFalse(listenerSessions.isEmpty());
        assertEquals(Set.of(client.manager.session()), Set.copyOf(listenerSessions), "listeners run with the session key");
        assertTrue(ours.stream().anyMatch(e -> e.getMDCPropertyMap().containsKey(LogContext.RELAY)),
                "some lines concern one relay and say which");
        assertTrue(ours.stream().filter(e -> e.getMDCPropertyMap().containsKey(LogContext.RELAY))
                .allMatch(e -> e.getMDCPropertyMap().get(LogContext.RELAY).startsWith("ws://127.0.0.1:95")));
        assertEquals(null, MDC.get(LogContext.SESSION), "the test thread is left as it was");
        assertTrue(a.id().startsWith("ws://"));
    }
}
