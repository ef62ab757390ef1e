package io.solconnect.relay.discovery.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Real HTTPS servers on loopback for the bootstrap tests, with keys and certificates made by
 * {@code keytool} in a temporary directory: one certificate for 127.0.0.1 and one for the wrong
 * host, both in a test truststore.
 */
final class TestHttps implements AutoCloseable {

    static final String PASSWORD = "changeit";

    final Path truststore;
    private final Path dir;
    private final List<Server> servers = new ArrayList<>();

    private TestHttps(Path dir) {
        this.dir = dir;
        this.truststore = dir.resolve("trust.p12");
    }

    /** Makes the keys with keytool: a certificate for 127.0.0.1 and one for wrong.example. */
    static TestHttps create(Path dir) throws Exception {
        TestHttps t = new TestHttps(dir);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String[] cert : new String[][] {{"good", "ip:127.0.0.1,dns:localhost"}, {"wrong", "dns:wrong.example"}}) {
            Path ks = dir.resolve(cert[0] + ".p12");
            keytool("-genkeypair", "-alias", cert[0], "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + cert[0], "-ext", "SAN=" + cert[1], "-validity", "2",
                    "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
            KeyStore key = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                key.load(in, PASSWORD.toCharArray());
            }
            trust.setCertificateEntry(cert[0], key.getCertificate(cert[0]));
        }
        try (var out = Files.newOutputStream(t.truststore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return t;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** Starts a server presenting the named certificate ("good" or "wrong"). */
    Server start(String cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(cert + ".p12"))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        Server s = new Server(ssl);
        servers.add(s);
        return s;
    }

    @Override
    public void close() {
        servers.forEach(Server::close);
    }

    /** One HTTPS server; each path answers with a replaceable handler; requests are recorded. */
    static final class Server {
        final HttpsServer https;
        final Map<String, HttpHandler> paths = new ConcurrentHashMap<>();
        /** The If-None-Match header of each request, or "-" when absent. */
        final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
        private final ExecutorService pool = Executors.newCachedThreadPool();

        Server(SSLContext ssl) throws IOException {
            https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(ssl));
            https.createContext("/", this::dispatch);
            https.setExecutor(pool);
            https.start();
        }

        String url(String path) {
            return "https://127.0.0.1:" + https.getAddress().getPort() + path;
        }

        private void dispatch(HttpExchange ex) throws IOException {
            String inm = ex.getRequestHeaders().getFirst("If-None-Match");
            ifNoneMatch.add(inm == null ? "-" : inm);
            HttpHandler h = paths.get(ex.getRequestURI().getPath());
            if (h == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            h.handle(ex);
        }

        void close() {
            https.stop(0);
            pool.shutdownNow();
        }
    }

    /** A handler answering with a status, a content type (null for none), a body and headers. */
    static HttpHandler respond(int status, String contentType, byte[] body, String... headers) {
        return ex -> {
            if (contentType != null) {
                ex.getResponseHeaders().add("Content-Type", contentType);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                ex.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (var out = ex.getResponseBody()) {
                    out.write(body);
                } catch (IOException clientGone) {
                    // the client may cancel a body it refuses (too large); nothing to do
                }
            }
            ex.close();
        };
    }
}
