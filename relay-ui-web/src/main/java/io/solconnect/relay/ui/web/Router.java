package io.solconnect.relay.ui.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.ui.web.HttpIo.Refusal;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler behind every path: applies the {@link RequestPolicy} (Host, Origin, path form,
 * method, read-only mode, token) and then dispatches. Errors become small JSON bodies
 * ({@code {"error":{"code","message"}}}); unexpected exceptions are logged and answered with a
 * generic 500, never with a stack trace. Thread-safe.
 */
final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final Set<String> READ = Set.of("GET", "HEAD");

    private final RelayClient client;
    private final StatusServerOptions options;
    private final RequestPolicy policy;
    private final StaticAssets assets;
    private final EventHub events;
    private final SettingsApi settings;
    private final Map<String, TextEndpoint> extras;
    private final Runnable requestRead;
    private final Map<String, Set<String>> apiMethods = Map.of(
            "/api/status", Set.of("GET"),
            "/api/relays", Set.of("GET", "POST", "DELETE"),
            "/api/failovers", Set.of("GET"),
            "/api/events", Set.of("GET"),
            "/api/settings", Set.of("GET", "PUT"),
            "/favicon.ico", Set.of("GET", "HEAD"));

    Router(RelayClient client, StatusServerOptions options, RequestPolicy policy, StaticAssets assets, EventHub events,
           SettingsApi settings, List<TextEndpoint> extras, Runnable requestRead) {
        this.requestRead = requestRead;
        this.client = client;
        Map<String, TextEndpoint> byPath = new java.util.HashMap<>();
        for (TextEndpoint e : extras) {
            if (byPath.put(e.path(), e) != null) {
                throw new IllegalArgumentException("two extra endpoints share the path " + e.path());
            }
        }
        this.extras = Map.copyOf(byPath);
        this.options = options;
        this.policy = policy;
        this.assets = assets;
        this.events = events;
        this.settings = settings;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        requestRead.run(); // the JDK server has read the request line and headers
        try {
            HttpIo.securityHeaders(ex);
            route(ex);
        } catch (Refusal r) {
            HttpIo.sendError(ex, r.status, r.code, r.getMessage());
        } catch (IOException e) {
            LOG.debug("status page client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("status page request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
            try {
                HttpIo.sendError(ex, 500, "internal", "internal error; see the server log");
            } catch (IOException | RuntimeException ignored) {
                // Headers were already sent, or the client went away: nothing more to say.
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException, Refusal {
        if (!policy.hostAllowed(ex.getRequestHeaders().get("Host"))) {
            throw new Refusal(403, "forbidden", "Host header not allowed");
        }
        if (!policy.originAllowed(ex.getRequestHeaders().get("Origin"))) {
            throw new Refusal(403, "forbidden", "Origin not allowed");
        }
        String rawUri = ex.getRequestURI().toString();
        if (rawUri.length() > RequestPolicy.MAX_URI_CHARS) {
            throw new Refusal(414, "bad_input", "request URI too long");
        }
        String path = ex.getRequestURI().getRawPath();
        if (!RequestPolicy.pathWellFormed(path)) {
            throw new Refusal(400, "bad_input", "malformed path");
        }
        String method = ex.getRequestMethod();
        Set<String> allowed = apiMethods.get(path);
        Optional<StaticAssets.Asset> asset = Optional.empty();
        TextEndpoint extra = extras.get(path);
        if (extra != null) {
            if (!method.equals("GET")) {
                ex.getResponseHeaders().set("Allow", "GET");
                throw new Refusal(405, "method_not_allowed", "method not allowed here");
            }
            checkToken(ex, true, false);
            HttpIo.send(ex, 200, extra.contentType(), extra.body().get().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (allowed == null) {
            asset = assets.find(path);
            if (asset.isEmpty()) {
                throw new Refusal(404, "not_found", "no such page");
            }
            allowed = READ;
        }
        if (!allowed.contains(method)) {
            ex.getResponseHeaders().set("Allow", String.join(", ", allowed.stream().sorted().toList()));
            throw new Refusal(405, "method_not_allowed", "method not allowed here");
        }
        if (!READ.contains(method)) {
            checkChangeAllowed(ex);
        } else if (options.allowNonLoopback() && path.startsWith("/api/")) {
            checkToken(ex, false, path.equals("/api/events"));
        }
        if (asset.isPresent()) {
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            HttpIo.send(ex, 200, asset.get().contentType(), asset.get().bytes());
            return;
        }
        switch (path) {
            case "/api/status" -> HttpIo.sendJson(ex, 200, statusJson());
            case "/api/relays" -> relays(ex, method);
            case "/api/failovers" -> {
                ObjectNode n = HttpIo.JSON.createObjectNode();
                n.set("failovers", JsonViews.failovers(client.status().recentFailovers()));
                HttpIo.sendJson(ex, 200, n);
            }
            case "/api/events" -> events.serve(ex);
            case "/api/settings" -> {
                if (method.equals("PUT")) {
                    settings.update(HttpIo.readJsonObject(ex, options.maxRequestBytes()));
                }
                HttpIo.sendJson(ex, 200, SettingsApi.view(client.config(), options.readOnly()));
            }
            case "/favicon.ico" -> HttpIo.send(ex, 204, "text/plain", new byte[0]);
            default -> throw new Refusal(404, "not_found", "no such page");
        }
    }

    private void relays(HttpExchange ex, String method) throws IOException, Refusal {
        switch (method) {
            case "POST" -> {
                settings.addRelay(HttpIo.readJsonObject(ex, options.maxRequestBytes()));
                HttpIo.sendJson(ex, 201, SettingsApi.view(client.config(), options.readOnly()));
            }
            case "DELETE" -> {
                HttpIo.readBody(ex, options.maxRequestBytes());
                settings.removeRelay(queryParameter(ex.getRequestURI().getRawQuery(), "url"));
                HttpIo.sendJson(ex, 200, SettingsApi.view(client.config(), options.readOnly()));
            }
            default -> {
                ObjectNode n = HttpIo.JSON.createObjectNode();
                n.set("relays", JsonViews.relays(client.status().relays()));
                HttpIo.sendJson(ex, 200, n);
            }
        }
    }

    private ObjectNode statusJson() {
        ClientStatus status = client.status();
        return JsonViews.status(status, client.config().selection().healthCheckInterval());
    }

    private void checkChangeAllowed(HttpExchange ex) throws Refusal {
        if (options.readOnly()) {
            throw new Refusal(403, "forbidden", "the status page is read-only");
        }
        checkToken(ex, false, false);
    }

    /**
     * Requires this start's token in the {@value RequestPolicy#TOKEN_HEADER} header; where
     * {@code bearer}, also as {@code Authorization: Bearer <token>} (for scrapers of the extra text
     * endpoints); where {@code queryAllowed}, also as {@code ?token=} (for the event stream, which a
     * browser's EventSource opens without custom headers).
     */
    private void checkToken(HttpExchange ex, boolean bearer, boolean queryAllowed) throws Refusal {
        List<String> tokens = ex.getRequestHeaders().get(RequestPolicy.TOKEN_HEADER);
        List<String> auth = ex.getRequestHeaders().get("Authorization");
        if (bearer && (tokens == null || tokens.isEmpty()) && auth != null && auth.size() == 1
                && auth.get(0).startsWith("Bearer ")) {
            tokens = List.of(auth.get(0).substring("Bearer ".length()).trim());
        }
        if ((tokens == null || tokens.isEmpty()) && queryAllowed) {
            String q = queryParameter(ex.getRequestURI().getRawQuery(), "token");
            tokens = q == null ? null : List.of(q);
        }
        if (tokens == null || tokens.isEmpty()) {
            throw new Refusal(401, "forbidden", (options.allowNonLoopback() ? "this status page is reachable from"
                    + " the network: every /api request needs" : "this needs") + " the " + RequestPolicy.TOKEN_HEADER
                    + " header (the token is in the page URL the application shows at start)");
        }
        if (tokens.size() != 1 || !policy.tokenMatches(tokens.get(0))) {
            throw new Refusal(403, "forbidden", "wrong " + RequestPolicy.TOKEN_HEADER);
        }
    }

    private static String queryParameter(String rawQuery, String name) throws Refusal {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new Refusal(400, "bad_input", "malformed query parameter " + name);
                }
            }
        }
        return null;
    }
}
