package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.api.spi.TransportProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code tyrus} transport: WebSocket connections on the Eclipse Tyrus client and its Grizzly
 * client container. Stateless and thread-safe; {@link #create} does the work.
 *
 * <p>What every connection gets: the connect timeout {@code RelayConfig.connectTimeout()} (the
 * connect stage always completes, also when the server closes or fails during the handshake);
 * control-frame ping with the RTT measured on the scheduler's nano time; inbound messages larger
 * than {@code OutboxConfig.maxResumeBytes()} close the connection with 1009 (the protocol's codec
 * refuses frames over {@code maxMessageBytes} that are not resume replies); redirects are not
 * followed; {@code wss} verifies the certificate chain and the host name (no custom verifier);
 * {@code ws} is refused unless {@code RelayConfig.schemeAllowed} allows it; before every connect the
 * host is resolved through {@code PluginContext.relayPolicy().resolverFor(...)} (else the JDK's
 * resolver), every address is checked with {@code refusedAddress} (any refused: {@code forbidden},
 * no socket opened), and the connection goes to a checked address with the host name kept for the
 * {@code Host} header, SNI and certificate verification; connect errors start with their cause.
 *
 * <p>Settings (all optional):
 * <ul>
 *   <li>{@code workerThreads}: Grizzly worker threads shared by every connection of the process,
 *       1..256; default {@code max(2, cores)}. Applies when the shared client container starts
 *       (the first transport to open a connection sets it). Grizzly adds one selector thread per
 *       core.</li>
 *   <li>{@code connectThreads}: threads of this transport that run connects (Tyrus connects
 *       block during TCP connect, TLS and upgrade), 1..256; default 8. More connects wait in a
 *       queue; their connect timeout runs from the {@code connect} call.</li>
 *   <li>{@code truststore}: path of a PKCS12 (or {@code truststoreType}) file of trusted CA
 *       certificates, for private CAs and tests; default: the JDK's trust store.</li>
 *   <li>{@code truststorePassword}: its password; default empty.</li>
 *   <li>{@code truststoreType}: {@code PKCS12} (default) or {@code JKS}.</li>
 *   <li>{@code subprotocols}: comma-separated WebSocket subprotocols to offer, most preferred
 *       first; default none. When set, a server that answers with a subprotocol not offered (or
 *       none) is refused; when not set, a server that answers with any subprotocol is refused.</li>
 *   <li>{@code idleShutdown}: how long the shared client container keeps its threads after the last
 *       connection closed, e.g. {@code 5s}; default 10 s.</li>
 * </ul>
 */
public final class TyrusTransportProvider implements TransportProvider {

    /** Creates the provider; does no I/O. */
    public TyrusTransportProvider() {
    }

    /**
     * Returns {@code "tyrus"}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return "tyrus";
    }

    /**
     * Builds a transport from the settings described on the class.
     *
     * @param context settings, configuration and scheduler
     * @return the transport, or {@link ErrorCode#INVALID_CONFIG} naming the bad setting
     */
    @Override
    public Result<Transport> create(PluginContext context) {
        int cores = Runtime.getRuntime().availableProcessors();
        Result<Integer> workers = context.intSetting("workerThreads", Math.max(2, cores), 1, 256);
        Result<Integer> connectors = context.intSetting("connectThreads", 8, 1, 256);
        Result<Duration> idle = context.durationSetting("idleShutdown", Duration.ofSeconds(10));
        for (Result<?> r : List.of(workers, connectors, idle)) {
            if (!r.isOk()) {
                return Result.err(r.failure().orElseThrow());
            }
        }
        Result<Optional<SSLContext>> ssl = sslContext(context);
        if (!ssl.isOk()) {
            return Result.err(ssl.failure().orElseThrow());
        }
        List<String> subprotocols = context.setting("subprotocols")
                .map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList())
                .orElse(List.of());
        for (String p : subprotocols) {
            if (!p.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                return Result.err(ErrorCode.INVALID_CONFIG,
                        context.providerName() + ".subprotocols holds an invalid token '" + p + "'");
            }
        }
        TyrusSettings settings = new TyrusSettings(workers.orElseThrow(), connectors.orElseThrow(),
                idle.orElseThrow(), ssl.orElseThrow(), subprotocols);
        return Result.ok(new TyrusTransport(context.config(), context.relayPolicy(), context.scheduler(), settings));
    }

    private static Result<Optional<SSLContext>> sslContext(PluginContext context) {
        Optional<String> path = context.setting("truststore");
        if (path.isEmpty()) {
            return Result.ok(Optional.empty());
        }
        String key = context.providerName() + ".truststore";
        char[] password = context.setting("truststorePassword").orElse("").toCharArray();
        String type = context.setting("truststoreType").orElse("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(path.get()))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return Result.ok(Optional.of(ctx));
        } catch (IOException e) {
            return Result.err(ErrorCode.INVALID_CONFIG, key + " '" + path.get() + "' cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return Result.err(ErrorCode.INVALID_CONFIG, key + " '" + path.get() + "' is not a usable " + type
                    + " trust store: " + e.getMessage());
        }
    }
}
