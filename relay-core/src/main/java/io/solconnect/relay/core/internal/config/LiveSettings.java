package io.solconnect.relay.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.solconnect.relay.api.RelayConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which options a running client applies, as an allow-list of JSON paths. Any other difference
 * needs a restart, so an option added later is restart-only until someone adds it here (and makes
 * the engine apply it). Stateless.
 */
public final class LiveSettings {

    /** Options a running client applies, by JSON path without the leading {@code $.}. */
    public static final Set<String> LIVE = Set.of(
            "relays",
            "selection.strategy", "selection.failoverThreshold", "selection.healthCheckInterval", "selection.region",
            "liveness.pingInterval", "liveness.idlePingInterval", "liveness.pingTimeout", "liveness.connectTimeout",
            "failover.standbyCount", "failover.maxRetries", "failover.backoffInitial", "failover.backoffMax",
            "failover.stablePeriod", "failover.ejectionTime");

    private LiveSettings() {
    }

    /**
     * Applies settings saved from the status page over the configuration a client was built with
     * (in code or from a file): the saved values of the live options ({@code relays},
     * {@code selection}, {@code liveness}, {@code failover}) win, every other option keeps the
     * given value. {@code selection} is taken only when {@code withSelection}.
     *
     * @param given         the configuration the application gave
     * @param saved         the configuration the store saved
     * @param withSelection whether the saved selection may replace the given one
     * @return the merged configuration
     * @throws IllegalArgumentException if the merged options break a rule across options
     */
    public static RelayConfig withSaved(RelayConfig given, RelayConfig saved, boolean withSelection) {
        RelayConfig.Builder b = RelayConfig.from(given).relays(saved.relays()).liveness(saved.liveness())
                .failover(saved.failover());
        if (withSelection) {
            b.selection(saved.selection());
        }
        return b.build();
    }

    /**
     * The options that differ between two configurations and are not live-changeable.
     *
     * @param before the running configuration
     * @param after  the wanted one
     * @return their JSON paths (e.g. {@code outbox.maxMessages}), sorted; empty if a running client
     *         can take {@code after}
     */
    public static List<String> restartOnlyChanges(RelayConfig before, RelayConfig after) {
        return restartOnlyChanges(ConfigJson.toTree(before), ConfigJson.toTree(after));
    }

    static List<String> restartOnlyChanges(JsonNode before, JsonNode after) {
        Map<String, JsonNode> a = options(before);
        Map<String, JsonNode> b = options(after);
        Set<String> paths = new java.util.TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String path : paths) {
            if (!Objects.equals(a.get(path), b.get(path)) && !LIVE.contains(path)) {
                out.add(path);
            }
        }
        return out;
    }

    /** Top-level values by key, and each member of a group object by {@code group.key}. */
    private static Map<String, JsonNode> options(JsonNode root) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> option : e.getValue().properties()) {
                    out.put(e.getKey() + "." + option.getKey(), option.getValue());
                }
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
