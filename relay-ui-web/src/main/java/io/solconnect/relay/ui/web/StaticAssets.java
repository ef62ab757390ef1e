package io.solconnect.relay.ui.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page files, read once from this module at start and served from memory. Only the paths
 * listed here exist: nothing is looked up by a name taken from the request, so there is no path
 * to traverse. Immutable and thread-safe.
 */
final class StaticAssets {

    /** One file: its bytes and content type. */
    record Asset(byte[] bytes, String contentType) {
    }

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Map<String, Asset> byPath;

    private StaticAssets(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /**
     * Loads the assets.
     *
     * @throws IllegalStateException if one is missing from the jar (a broken build)
     */
    static StaticAssets load() {
        Map<String, Asset> m = new LinkedHashMap<>();
        Asset index = read("index.html", HTML);
        Asset settings = read("settings.html", HTML);
        m.put("/", index);
        m.put("/index.html", index);
        m.put("/settings", settings);
        m.put("/settings.html", settings);
        m.put("/assets/app.css", read("app.css", CSS));
        m.put("/assets/common.js", read("common.js", JS));
        m.put("/assets/status.js", read("status.js", JS));
        m.put("/assets/settings.js", read("settings.js", JS));
        m.put("/assets/uPlot.min.css", read("vendor/uPlot.min.css", CSS));
        m.put("/assets/uPlot.iife.min.js", read("vendor/uPlot.iife.min.js", JS));
        m.put("/assets/uPlot-LICENSE.txt", read("vendor/LICENSE", TEXT));
        return new StaticAssets(m);
    }

    Optional<Asset> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static Asset read(String name, String type) {
        String resource = "assets/" + name;
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("status page asset missing from the jar: " + resource);
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read status page asset " + resource, e);
        }
    }
}
