package io.solconnect.relay.discovery.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real dnsmasq process answering for a test zone on a loopback port, started and stopped by a
 * test. Its zone comes from a configuration file, so that large zones do not hit command-line
 * limits. Everything under {@code example.test} is answered locally (unknown names: NXDOMAIN).
 */
final class Dnsmasq implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts dnsmasq with the given configuration lines (dnsmasq option names without "--") and
     * waits until it answers a query.
     */
    static Dnsmasq start(Path dir, int ttl, List<String> zone) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> conf = new ArrayList<>(List.of("port=" + port, "listen-address=127.0.0.1", "bind-interfaces",
                    "no-resolv", "no-hosts", "local=/example.test/", "local-ttl=" + ttl, "cache-size=0",
                    "pid-file=" + dir.resolve("dnsmasq-" + port + ".pid"), "log-facility=-",
                    "txt-record=ready.example.test,ready"));
            conf.addAll(zone);
            Path confFile = dir.resolve("dnsmasq-" + port + ".conf");
            Files.write(confFile, conf, StandardCharsets.US_ASCII);
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            Process p = new ProcessBuilder(BINARY.toString(), "--keep-in-foreground", "--conf-file=" + confFile)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Dnsmasq d = new Dnsmasq(p, port, log);
            if (d.awaitReady()) {
                return d;
            }
            d.close();
        }
        throw new IllegalStateException("dnsmasq did not start on a free port");
    }

    int port() {
        return port;
    }

    String resolver() {
        return "127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Polls with real queries until dnsmasq answers, it exits, or 10 s pass. */
    private boolean awaitReady() throws InterruptedException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofMillis(200));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                Message m = r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(
                        Name.fromString("ready.example.test."), Type.TXT, DClass.IN)));
                if (!m.getSection(1).isEmpty()) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet: the port is unreachable or the query timed out; ask again
                Thread.onSpinWait();
            }
        }
        return false;
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
                // TCP side taken; try another
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
