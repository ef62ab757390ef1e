package io.solconnect.relay.discovery.bootstrap;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveredRelays;
import io.solconnect.relay.api.spi.Untrusted;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code bootstrap} discovery source (behaviour documented on {@link BootstrapDiscoveryProvider}).
 * {@link #discover()} and {@link #close()} are synchronized; the engine calls {@code discover}
 * from one thread, never concurrently.
 */
final class BootstrapDiscovery implements RelayDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapDiscovery.class);
    private static final int MAX_ETAG = 256;
    /** Host name lookups run on this many daemon threads, so one slow name does not hold up the rest. */
    private static final int LOOKUP_THREADS = 4;

    /** The last good answer of one URL, for {@code If-None-Match} and {@code 304}. */
    private record Cached(String etag, DiscoveryResult result) {
    }

    private final BootstrapSettings settings;
    private final PluginContext context;
    private final HostResolver resolver;
    private final Map<URI, Cached> etags = new HashMap<>();
    private HttpClient client;
    private ExecutorService lookups;
    private DiscoveryResult lastGood;
    private boolean closed;

    BootstrapDiscovery(BootstrapSettings settings, PluginContext context, HostResolver resolver) {
        this.settings = settings;
        this.context = context;
        this.resolver = resolver;
        if (!settings.resolveHosts()) {
            LOG.warn(RESOLVE_HOSTS_OFF, context.providerName());
        }
    }

    /** Logged at WARN when a source is created with {@code resolveHosts=false}; {} is the source name. */
    static final String RESOLVE_HOSTS_OFF = "{}.resolveHosts=false: relay host names from this source are NOT "
            + "resolved or checked against the address rules at discovery, so a name pointing at loopback, a private "
            + "network or cloud metadata is listed; the transport still resolves and checks every address at connect "
            + "time and refuses those. Set it only when names resolve elsewhere (a proxy).";

    @Override
    public synchronized Result<DiscoveryResult> discover() {
        if (closed) {
            return Result.err(ErrorCode.CLOSED, context.providerName() + " discovery is closed");
        }
        Result<HttpClient> c = client();
        List<RelayError> failures = new ArrayList<>();
        if (!c.isOk()) {
            failures.add(c.failure().orElseThrow());
            publish(c.failure().orElseThrow());
        } else {
            for (URI url : settings.urls()) {
                Result<DiscoveryResult> r = fetch(c.orElseThrow(), url);
                if (r.isOk()) {
                    lastGood = r.orElseThrow();
                    LOG.debug("{}: {} relays from {}, next lookup in {}", context.providerName(),
                            lastGood.relays().size(), url, lastGood.refreshAfter());
                    return r;
                }
                RelayError e = r.failure().orElseThrow();
                failures.add(e);
                publish(e);
            }
        }
        RelayError overall = failures.size() == 1 ? failures.get(0)
                : new RelayError(ErrorCode.DISCOVERY_FAILED, "all " + failures.size() + " bootstrap URLs failed: "
                        + String.join("; ", failures.stream().map(RelayError::message).toList()));
        if (lastGood == null) {
            LOG.warn("{}: no bootstrap URL gave a usable list and no earlier list exists: {}",
                    context.providerName(), overall);
            return Result.err(overall);
        }
        LOG.warn("{}: no bootstrap URL gave a usable list, keeping the last good list of {} relays: {}",
                context.providerName(), lastGood.relays().size(), overall);
        return Result.ok(new DiscoveryResult(lastGood.relays(), settings.retryAfter(), List.of()));
    }

    @Override
    public synchronized void close() {
        closed = true;
        client = null;
        if (lookups != null) {
            lookups.shutdownNow();
        }
    }

    private void publish(RelayError e) {
        context.events().accept(new RelayEvent.DiscoveryFailed(context.scheduler().now(), context.providerName(), e));
    }

    private Result<HttpClient> client() {
        if (client != null) {
            return Result.ok(client);
        }
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout());
        if (settings.truststore().isPresent()) {
            try (InputStream in = Files.newInputStream(settings.truststore().get())) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, settings.truststorePassword());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, tmf.getTrustManagers(), null);
                b.sslContext(ssl);
            } catch (IOException | GeneralSecurityException e) {
                return Result.err(ErrorCode.INVALID_CONFIG, context.providerName() + ".truststore '"
                        + settings.truststore().get() + "' could not be loaded: " + e.getMessage());
            }
        }
        client = b.build();
        return Result.ok(client);
    }

    private Result<DiscoveryResult> fetch(HttpClient http, URI url) {
        String shown = Untrusted.printable(url.toString());
        Cached cached = etags.get(url);
        HttpRequest.Builder req = HttpRequest.newBuilder(url).GET().timeout(settings.timeout())
                .header("Accept", "application/json");
        if (cached != null) {
            req.header("If-None-Match", cached.etag());
        }
        AtomicLong received = new AtomicLong();
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(req.build(),
                info -> new LimitedBody(info.statusCode() == 200 ? settings.maxBytes() : 0, received));
        HttpResponse<byte[]> response;
        try {
            response = future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Result.err(ErrorCode.TIMEOUT, "bootstrap " + shown + " did not finish within "
                    + settings.timeout().toMillis() + " ms (" + received.get() + " body bytes received)");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Result.err(ErrorCode.CLOSED, "bootstrap " + shown + ": interrupted");
        } catch (ExecutionException e) {
            return Result.err(failure(shown, e.getCause()));
        }
        return answer(url, shown, cached, response);
    }

    private Result<DiscoveryResult> answer(URI url, String shown, Cached cached, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 304) {
            if (cached == null) {
                return Result.err(ErrorCode.BAD_INPUT, "bootstrap " + shown + " answered 304 Not Modified to a request"
                        + " that was not conditional");
            }
            Duration refresh = CacheControl.refreshAfter(response.headers(), settings);
            DiscoveryResult same = new DiscoveryResult(cached.result().relays(), refresh, List.of());
            etags.put(url, new Cached(cached.etag(), same));
            return Result.ok(same);
        }
        if (status >= 300 && status < 400) {
            String location = response.headers().firstValue("Location").map(Untrusted::printable).orElse("nowhere");
            return Result.err(ErrorCode.FORBIDDEN, "bootstrap " + shown + " answered " + status + " redirecting to "
                    + location + ": redirects are not followed; configure the final URL");
        }
        if (status != 200) {
            return Result.err(ErrorCode.DISCOVERY_FAILED, "bootstrap " + shown + " answered HTTP " + status);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            boolean html = media.contains("html") || startsWithMarkup(response.body());
            return Result.err(ErrorCode.BAD_INPUT, "bootstrap " + shown + " answered "
                    + (media.isEmpty() ? "without a Content-Type" : "with Content-Type '" + Untrusted.printable(media) + "'")
                    + " instead of application/json" + (html ? " (an HTML page: a captive portal or login page?)" : ""));
        }
        DiscoveredRelays found = new DiscoveredRelays(context.providerName(), settings.maxRelays());
        Candidates candidates = new Candidates(found, context.relayPolicy(), settings.maxRelays());
        Optional<RelayError> shape = RelayListParser.parse(response.body(), candidates);
        if (shape.isPresent()) {
            return Result.err(new RelayError(shape.get().code(), "bootstrap " + shown + ": " + shape.get().message()));
        }
        resolveInto(candidates.list(), found);
        Result<DiscoveryResult> result = found.result(CacheControl.refreshAfter(response.headers(), settings));
        if (!result.isOk()) {
            RelayError e = result.failure().orElseThrow();
            return Result.err(new RelayError(e.code(), "bootstrap " + shown + ": " + e.message()));
        }
        Optional<String> etag = response.headers().firstValue("ETag")
                .filter(t -> t.length() <= MAX_ETAG && t.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e));
        if (etag.isPresent()) {
            etags.put(url, new Cached(etag.get(), result.orElseThrow()));
        } else {
            etags.remove(url);
        }
        return result;
    }

    /**
     * Resolves the candidates' host names in parallel, all within one {@code timeout}, and offers
     * each relay with its addresses, so that the engine refuses a name pointing into a refused range.
     */
    private void resolveInto(List<Candidates.Candidate> candidates, DiscoveredRelays found) {
        if (!settings.resolveHosts()) {
            candidates.forEach(c -> found.add(c.where(), c.relay()));
            return;
        }
        Map<String, Future<List<InetAddress>>> pending = new LinkedHashMap<>();
        for (Candidates.Candidate c : candidates) {
            String host = c.relay().url().getHost();
            if (!literal(host)) {
                pending.computeIfAbsent(host, h -> lookups().submit(() -> resolver.resolve(h)));
            }
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (Candidates.Candidate c : candidates) {
            String host = c.relay().url().getHost();
            Future<List<InetAddress>> f = pending.get(host);
            if (f == null) {
                found.add(c.where(), c.relay());
                continue;
            }
            try {
                found.add(c.where(), c.relay(), f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                f.cancel(true);
                found.reject(c.where(), ErrorCode.TIMEOUT, "host '" + host + "' did not resolve within "
                        + settings.timeout().toMillis() + " ms");
            } catch (ExecutionException e) {
                found.reject(c.where(), ErrorCode.BAD_INPUT, e.getCause() instanceof UnknownHostException
                        ? "host '" + host + "' does not resolve"
                        : "host '" + host + "' could not be resolved: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                found.reject(c.where(), ErrorCode.CLOSED, "interrupted while resolving '" + host + "'");
            }
        }
    }

    private ExecutorService lookups() {
        if (lookups == null) {
            AtomicInteger n = new AtomicInteger();
            lookups = Executors.newFixedThreadPool(LOOKUP_THREADS, r -> {
                Thread t = new Thread(r, context.providerName() + "-resolve-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return lookups;
    }

    private static boolean literal(String host) {
        return host.startsWith("[") || host.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || ch == '.');
    }

    private static boolean startsWithMarkup(byte[] body) {
        for (byte b : body) {
            if (b == '<') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return false;
    }

    private RelayError failure(String shown, Throwable cause) {
        if (cause instanceof LimitedBody.TooLarge) {
            return new RelayError(ErrorCode.TOO_LARGE, "bootstrap " + shown + ": " + cause.getMessage());
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new RelayError(ErrorCode.TIMEOUT, "bootstrap " + shown + ": connect timed out after "
                    + settings.timeout().toMillis() + " ms");
        }
        if (cause instanceof HttpTimeoutException) {
            return new RelayError(ErrorCode.TIMEOUT, "bootstrap " + shown + ": no response within "
                    + settings.timeout().toMillis() + " ms");
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return new RelayError(ErrorCode.IO, "bootstrap " + shown + ": TLS handshake failed: "
                        + Untrusted.printable(t.getMessage()));
            }
        }
        if (cause instanceof ConnectException) {
            return new RelayError(ErrorCode.IO, "bootstrap " + shown + ": connection refused");
        }
        return new RelayError(ErrorCode.IO, "bootstrap " + shown + ": " + Untrusted.printable(String.valueOf(cause)));
    }
}
