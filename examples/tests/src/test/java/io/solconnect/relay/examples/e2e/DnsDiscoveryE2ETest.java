package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17's set-up end to end: a real DNS server (dnsmasq on a loopback port) serves a private zone
 * {@code relays.test} that the system resolver does not know, with SRV records pointing at three
 * reference relays ({@code r1..r3.relays.test}, A 127.0.0.1, TXT {@code scheme=ws}). A sender and a
 * receiver discover them through that server only, connect (the transport resolves the names through
 * the same server and checks the addresses), exchange messages, and lose nothing when the primary
 * relay is killed.
 */
class DnsDiscoveryE2ETest {

    private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    private static final String ROOM = "dns-room";
    private static final int BATCH = 50;

    @Test
    void relaysFoundInAPrivateZoneAreConnectedAndSurviveAKill(@TempDir Path dir) throws Exception {
        try (Relays relays = new Relays(3)) {
            List<String> zone = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String host = "r" + (i + 1) + ".relays.test";
                zone.add("srv-host=_solconnect-relay._tcp.relays.test," + host + "," + relays.get(i).port() + ",0,10");
                zone.add("host-record=" + host + ",127.0.0.1");
                zone.add("txt-record=" + host + ",scheme=ws,path=" + relays.get(i).uri().getPath());
            }
            try (DnsServer dns = DnsServer.start(dir, zone);
                 E2EClient receiver = new E2EClient(config(dns.resolver()));
                 E2EClient sender = new E2EClient(config(dns.resolver()))) {
                receiver.start(ROOM);
                sender.start(ROOM);
                sender.await("sender and receiver on the same DNS-discovered primary", () -> {
                    var p = sender.manager().status().primary();
                    return sender.manager().status().state() == SessionState.CONNECTED
                            && receiver.manager().status().state() == SessionState.CONNECTED
                            && p.isPresent() && p.equals(receiver.manager().status().primary());
                });
                for (int i = 1; i <= BATCH; i++) {
                    sender.send(ROOM, Relays.payload(i));
                }
                receiver.awaitReceived(BATCH);
                sender.await("connected", () -> sender.manager().status().state() == SessionState.CONNECTED);
                int mark = sender.eventCount();
                String primary = sender.manager().status().primary().orElseThrow(); // after any early failover
                assertTrue(primary.matches("ws://r[123]\\.relays\\.test:[0-9]+/.*"), primary);
                relays.byId(primary).kill();
                for (int i = BATCH + 1; i <= 2 * BATCH; i++) {
                    sender.send(ROOM, Relays.payload(i));
                }
                RelayEvent.Failover f = sender.awaitEvent(RelayEvent.Failover.class, mark,
                        e -> e.from().equals(java.util.Optional.of(primary)));
                assertNotEquals(primary, f.to());
                assertTrue(f.to().matches("ws://r[123]\\.relays\\.test:[0-9]+/.*"), f.to());
                for (int i = 2 * BATCH + 1; i <= 3 * BATCH; i++) {
                    sender.send(ROOM, Relays.payload(i));
                }
                assertEquals(0, sender.awaitSends(), "every send must be acknowledged");
                receiver.awaitReceived(3 * BATCH);
                Relays.assertExactlyOnceInOrder(receiver.received(), 3 * BATCH);
            }
        }
    }

    private static RelayConfig config(String resolver) {
        return E2EClient.config()
                .discovery(List.of(new ProviderChoice("dns", Map.of("domain", "relays.test", "resolver", resolver,
                        "timeout", "2s"))))
                .allowPrivateAddresses(true)
                .allowedSchemes(Set.of("ws", "wss"))
                .build();
    }

    /** dnsmasq answering only for {@code relays.test} on a free loopback port; unknown names get NXDOMAIN. */
    private static final class DnsServer implements AutoCloseable {
        private final Process process;
        private final int port;

        private DnsServer(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static DnsServer start(Path dir, List<String> zone) throws IOException, InterruptedException {
            if (!Files.isExecutable(DNSMASQ)) {
                throw new IllegalStateException(DNSMASQ + " is missing: this test needs a real DNS server;"
                        + " ./relay-test installs it (or: apt-get install dnsmasq-base)");
            }
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePort();
                List<String> conf = new ArrayList<>(List.of("port=" + port, "listen-address=127.0.0.1", "bind-interfaces",
                        "no-resolv", "no-hosts", "local=/relays.test/", "local-ttl=5", "cache-size=0",
                        "pid-file=" + dir.resolve("dnsmasq-" + port + ".pid"), "log-facility=-"));
                conf.addAll(zone);
                Path file = dir.resolve("dnsmasq-" + port + ".conf");
                Files.write(file, conf, StandardCharsets.US_ASCII);
                Process p = new ProcessBuilder(DNSMASQ.toString(), "--keep-in-foreground", "--conf-file=" + file)
                        .redirectErrorStream(true).start();
                if (started(p)) {
                    return new DnsServer(p, port);
                }
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("dnsmasq did not start on a free port");
        }

        /** dnsmasq binds its sockets before it logs "started"; the rest of its log is drained. */
        private static boolean started(Process p) throws IOException {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            boolean started = false;
            for (String line; !started && (line = out.readLine()) != null; ) {
                started = line.contains("started, version");
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // ended
                }
            }, "dnsmasq-log");
            drain.setDaemon(true);
            drain.start();
            return started;
        }

        private static int freePort() throws IOException {
            while (true) {
                int port;
                try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    port = udp.getLocalPort();
                }
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }

        String resolver() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
