package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayStatus;
import io.solconnect.relay.ui.web.StatusServer;
import io.solconnect.relay.ui.web.StatusServerOptions;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Latency is measured on busy links too (issue 15, item 6): three example relays on loopback, a
 * sender and a receiver with two warm standbys each, and a steady 200 messages/s between them from
 * before the links open. No link is ever idle, so none is pinged for liveness (the ping interval
 * is set to 3 s to keep the idle pings before the traffic out of the picture). The sender's links
 * (primary and standbys, which get copies) are timed by their own acks; the receiver's links only
 * receive, and get a latency ping now and then. Every open link of both clients must show an RTT,
 * in the status and in the status page's {@code /api/status}.
 */
class BusyLinkRttE2ETest {

    private static final String ROOM = "busy-rtt";
    private static final Pattern RELAY = Pattern.compile(
            "\"id\":\"([^\"]+)\".*?\"connected\":(true|false).*?\"rttMillis\":(null|[-0-9.eE+]+)", Pattern.DOTALL);

    @Test
    void everyOpenLinkHasAnRttUnderSteadyTraffic() throws Exception {
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        try (Relays relays = new Relays(3);
             E2EClient receiver = new E2EClient(config(relays));
             E2EClient sender = new E2EClient(config(relays))) {
            receiver.start(ROOM);
            sender.start(ROOM);
            AtomicInteger seq = new AtomicInteger();
            traffic.scheduleAtFixedRate(() -> sender.send(ROOM, Relays.payload(seq.incrementAndGet())),
                    0, 5, TimeUnit.MILLISECONDS);
            // well within the first 3 s ping interval of an idle link, but the links are never idle
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!(allOpenLinksMeasured(sender.manager().status(), 2)
                    && allOpenLinksMeasured(receiver.manager().status(), 2))) {
                assertTrue(System.nanoTime() < deadline, () -> "links without RTT under traffic: sender "
                        + unmeasured(sender.manager().status()) + ", receiver " + unmeasured(receiver.manager().status()));
                receiver.awaitReceived(seq.get() + 20); // a condition to wait on: 100 ms more of traffic
            }
            assertTrue(receiver.manager().status().counters().delivered() > 0);

            for (E2EClient c : List.of(sender, receiver)) {
                ClientStatus s = c.manager().status();
                for (RelayStatus r : s.relays()) {
                    if (r.connected()) {
                        assertTrue(r.metrics().rttP50Millis().isPresent(), r.endpoint().id() + " has a p50 too");
                    }
                }
                try (StatusServer server = StatusServer.start(c.manager(), StatusServerOptions.ofDefaults()).orElseThrow()) {
                    Map<String, String> rtt = apiStatusRtt(server);
                    List<String> open = new ArrayList<>(s.standby());
                    open.add(s.primary().orElseThrow());
                    for (String id : open) {
                        assertTrue(rtt.containsKey(id), "/api/status lists " + id + " as connected: " + rtt);
                        assertFalse(rtt.get(id).equals("null"), "/api/status rttMillis of " + id + ": " + rtt);
                        assertTrue(Double.parseDouble(rtt.get(id)) > 0, rtt.toString());
                    }
                }
            }
        } finally {
            traffic.shutdownNow();
        }
    }

    private static RelayConfig config(Relays relays) {
        return E2EClient.config(relays.uris()).standbyCount(2).pingInterval(Duration.ofSeconds(3)).build();
    }

    private static boolean allOpenLinksMeasured(ClientStatus s, int standbys) {
        return s.primary().isPresent() && s.standby().size() == standbys && unmeasured(s).isEmpty();
    }

    private static List<String> unmeasured(ClientStatus s) {
        return s.relays().stream().filter(RelayStatus::connected)
                .filter(r -> r.metrics().rttEwmaMillis().isEmpty()).map(r -> r.endpoint().id()).toList();
    }

    /** rttMillis of every connected relay in {@code /api/status}, as the JSON text of the value. */
    private static Map<String, String> apiStatusRtt(StatusServer server) throws Exception {
        HttpURLConnection c = (HttpURLConnection) server.url().resolve("/api/status").toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        assertEquals(200, c.getResponseCode());
        String body;
        try (InputStream in = c.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
        int relaysAt = body.indexOf("\"relays\":[");
        assertTrue(relaysAt >= 0, body);
        Map<String, String> out = new HashMap<>();
        Matcher m = RELAY.matcher(body.substring(relaysAt));
        while (m.find()) {
            if (m.group(2).equals("true")) {
                out.put(m.group(1), m.group(3));
            }
        }
        return out;
    }
}
