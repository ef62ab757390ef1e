package io.solconnect.relay.examples.server.netns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A relay in its own namespace, reached over the veth pair only: answers, then is blackholed by
 * link down (no reset, no refusal: time-outs), answers again after link up; {@code tbf} shapes the
 * traffic; everything is removed afterwards. Skipped where namespaces cannot be made (not root).
 */
class NetNsTest {

    private static NamespacedRelay relay;

    @BeforeAll
    static void start() throws IOException {
        String why = NetNs.unavailableReason().orElse("");
        assumeTrue(why.isEmpty(), () -> "skipped: " + why);
        relay = NamespacedRelay.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (relay != null) {
            relay.close();
            assertFalse(relay.namespace().exists(), "namespace removed");
            assertFalse(NetNs.run(List.of("ip", "-o", "link", "show")).contains(relay.namespace().name() + "h"),
                    "veth removed");
        }
    }

    @Test
    void partitionIsASilentBlackholeAndReconnectHealsIt() throws IOException {
        assertTrue(relay.uri().getHost().equals(relay.namespace().insideAddress()), relay.uri().toString());
        assertTrue(relay.uri().getHost().startsWith("10.203."), relay.uri().toString());
        try (Socket first = connect(2000); Socket open = connect(0)) {
            assertTrue(answers(first), "the relay answers HTTP over the pair");

            relay.partition();
            try (Socket during = new Socket()) {
                // a refusal or "unreachable" would be ConnectException/NoRouteToHostException, not a time-out
                assertThrows(SocketTimeoutException.class,
                        () -> during.connect(new InetSocketAddress(relay.uri().getHost(), relay.uri().getPort()), 1000));
            }
            try (Socket established = connect(0)) {
                throw new AssertionError("connected during the partition: " + established);
            } catch (SocketTimeoutException | ConnectException expected) {
                // connect(0) uses a 1.5 s timeout below
            }
            OutputStream out = open.getOutputStream();
            out.write(request());
            out.flush(); // accepted by the local socket buffer: nothing says the peer is gone
            open.setSoTimeout(1500);
            assertThrows(SocketTimeoutException.class, () -> open.getInputStream().read(),
                    "no answer, no reset through a partition");
            assertTrue(relay.running(), "the relay itself runs on");
        } finally {
            relay.reconnect();
        }
        try (Socket after = connect(5000)) {
            assertTrue(answers(after), "the relay answers again after reconnect");
        }
    }

    @Test
    void rateLimitShapesTheLinkAndIsRemoved() throws Exception {
        relay.rateLimit(16_000);
        try {
            assertTrue(relay.namespace().qdiscs().contains("tbf"), relay.namespace().qdiscs());
            try (Socket s = connect(2000)) {
                Thread writer = new Thread(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(("POST / HTTP/1.1\r\nHost: relay\r\nContent-Length: 1000000\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(new byte[200_000]); // 100 s of traffic at 16 kbit/s
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                }, "netns-test-writer");
                writer.setDaemon(true);
                writer.start();
                long end = System.nanoTime() + 10_000_000_000L;
                long overlimits = 0;
                while (overlimits == 0 && System.nanoTime() < end) {
                    overlimits = overlimits(NetNs.run(List.of("tc", "-s", "qdisc", "show", "dev",
                            relay.namespace().name() + "h")));
                    Thread.sleep(50); // polling kernel counters; nothing to wait on
                }
                assertTrue(overlimits > 0, "tbf held packets back");
            }
        } finally {
            relay.clearRateLimit();
        }
        assertFalse(relay.namespace().qdiscs().contains("tbf"), relay.namespace().qdiscs());
        relay.clearRateLimit(); // idempotent
        assertThrows(IllegalArgumentException.class, () -> relay.rateLimit(100));
    }

    @Test
    void leftoversOfDeadProcessesAreRemovedAndOursAreNot() throws IOException {
        long dead = 4_000_000;
        while (ProcessHandle.of(dead).isPresent()) {
            dead++;
        }
        String name = NetNs.PREFIX + dead + "-1";
        NetNs.run(List.of("ip", "netns", "add", name));
        try {
            NetNs.removeLeftovers();
            assertFalse(NetNs.run(List.of("ip", "netns", "list")).contains(name), "leftover removed");
            assertTrue(relay.namespace().exists(), "a namespace of this process is kept");
        } finally {
            NetNs.run(List.of("sh", "-c", "ip netns del " + name + " 2>/dev/null || true"));
        }
    }

    @Test
    void commandRunsInsideTheNamespace() throws IOException {
        String inside = NetNs.run(relay.namespace().command(List.of("ip", "-o", "-4", "addr", "show")));
        assertTrue(inside.contains(relay.namespace().insideAddress() + "/30"), inside);
        assertFalse(inside.contains(relay.namespace().hostAddress() + "/"), inside);
        assertThrows(IllegalArgumentException.class, () -> relay.namespace().command(List.of()));
    }

    @Test
    void closeKillsWhatRunsInsideAndRemovesEverything() throws Exception {
        NetNs ns = NetNs.create();
        Process inside = new ProcessBuilder(ns.command(List.of("sleep", "600"))).start();
        try {
            assertTrue(ns.exists());
            assertTrue(NetNs.run(List.of("ip", "netns", "pids", ns.name())).contains(String.valueOf(inside.pid())));
        } finally {
            ns.close();
        }
        assertFalse(inside.isAlive(), "a process inside does not outlive the namespace");
        assertFalse(ns.exists());
        assertFalse(NetNs.run(List.of("ip", "-o", "link", "show")).contains(ns.name() + "h"), "veth removed");
        assertThrows(IllegalStateException.class, ns::linkDown);
        ns.close(); // idempotent
    }

    private static long overlimits(String stats) {
        Matcher m = Pattern.compile("overlimits (\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static Socket connect(int soTimeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(relay.uri().getHost(), relay.uri().getPort()), 1500);
            s.setSoTimeout(soTimeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static byte[] request() {
        return "GET / HTTP/1.1\r\nHost: relay\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean answers(Socket s) throws IOException {
        s.getOutputStream().write(request());
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(8);
        return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
    }
}
