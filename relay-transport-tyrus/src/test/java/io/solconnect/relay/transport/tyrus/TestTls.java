package io.solconnect.relay.transport.tyrus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed certificate for one host name, made with the JDK's keytool for the test. */
record TestTls(Path keystore, Path truststore) {

    private static final String PASSWORD = "changeit";

    static TestTls create(Path dir, String host) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ks = dir.resolve("server.p12");
        Path cert = dir.resolve("server.pem");
        Path ts = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-validity", "2",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "relay", "-keystore", ks.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "relay", "-file", cert.toString(),
                "-keystore", ts.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return new TestTls(ks, ts);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    Map<String, String> clientSettings() {
        return Map.of("truststore", truststore.toString(), "truststorePassword", PASSWORD);
    }
}
