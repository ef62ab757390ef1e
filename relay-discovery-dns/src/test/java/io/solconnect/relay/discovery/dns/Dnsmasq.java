package io.solconnect.relay.discovery.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
    private final StringBuffer log = new StringBuffer();

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts dnsmasq with the given configuration lines (dnsmasq option names without "--") and
     * waits until it answers a query.
     */
    static Dnsmasq start(Path dir, int ttl, List<String> zone) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: the DNS tests need a real DNS server;"
                    + " ./relay-test installs it (or: apt-get install dnsmasq-base)");
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> conf = new ArrayList<>(List.of("port=" + port, "listen-address=127.0.0.1", "bind-interfaces",
                    "no-resolv", "no-hosts", "local=/example.test/", "local-ttl=" + ttl, "cache-size=0",
                    "pid-file=" + dir.resolve("dnsmasq-" + port + ".pid"), "log-facility=-",
                    "txt-record=ready.example.test,ready"));
            conf.addAll(zone);
            Path confFile = dir.resolve("dnsmasq-" + port + ".conf");
            Files.write(confFile, conf, StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(BINARY.toString(), "--keep-in-foreground", "--conf-file=" + confFile)
                    .redirectErrorStream(true).start();
            Dnsmasq d = new Dnsmasq(p, port);
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

    String log() {
        return log.toString();
    }

    /**
     * Reads dnsmasq's log until it says it started (it binds its sockets before that line), then
     * checks with one real query; false if it exits first (e.g. the port was taken meanwhile).
     * The rest of the log is drained by a daemon thread so the pipe never fills.
     */
    private boolean awaitReady() throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        boolean started = false;
        while (!started && (line = out.readLine()) != null) {
            log.append(line).append('\n');
            started = line.contains("started, version");
        }
        Thread drain = new Thread(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    log.append(l).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "dnsmasq-log");
        drain.setDaemon(true);
        drain.start();
        if (!started) {
            return false;
        }
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofSeconds(5));
        Message m = r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(
                Name.fromString("ready.example.test."), Type.TXT, DClass.IN)));
        return !m.getSection(1).isEmpty();
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
