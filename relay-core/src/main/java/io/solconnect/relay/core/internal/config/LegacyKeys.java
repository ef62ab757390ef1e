package io.solconnect.relay.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads configuration files written before the options were grouped by concern: each old flat
 * top-level key ({@code "pingInterval"}) is moved to its new place ({@code "liveness.pingInterval"})
 * and a warning names the new key. Giving both the old and the new key is an error naming both.
 * Stateless.
 */
final class LegacyKeys {

    private static final Logger log = LoggerFactory.getLogger(LegacyKeys.class);

    /** Old flat key to {group, key} of the grouped shape. */
    static final Map<String, List<String>> MOVED = moved();

    private LegacyKeys() {
    }

    private static Map<String, List<String>> moved() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("selectionStrategy", List.of("selection", "strategy"));
        m.put("failoverThreshold", List.of("selection", "failoverThreshold"));
        m.put("healthCheckInterval", List.of("selection", "healthCheckInterval"));
        m.put("region", List.of("selection", "region"));
        m.put("pingInterval", List.of("liveness", "pingInterval"));
        m.put("pingTimeout", List.of("liveness", "pingTimeout"));
        m.put("connectTimeout", List.of("liveness", "connectTimeout"));
        m.put("standbyCount", List.of("failover", "standbyCount"));
        m.put("maxRetries", List.of("failover", "maxRetries"));
        m.put("backoffInitial", List.of("failover", "backoffInitial"));
        m.put("backoffMax", List.of("failover", "backoffMax"));
        m.put("stablePeriod", List.of("failover", "stablePeriod"));
        m.put("ejectionTime", List.of("failover", "ejectionTime"));
        m.put("outboxMaxMessages", List.of("outbox", "maxMessages"));
        m.put("outboxMaxBytes", List.of("outbox", "maxBytes"));
        m.put("maxMessageBytes", List.of("outbox", "maxMessageBytes"));
        m.put("dedupWindow", List.of("dedup", "window"));
        m.put("dedupMaxEntries", List.of("dedup", "maxEntries"));
        m.put("allowedSchemes", List.of("security", "allowedSchemes"));
        m.put("allowPrivateAddresses", List.of("security", "allowPrivateAddresses"));
        m.put("discovery", List.of("plugins", "discovery"));
        m.put("protocol", List.of("plugins", "protocol"));
        m.put("transport", List.of("plugins", "transport"));
        m.put("store", List.of("plugins", "store"));
        m.put("healthScorer", List.of("plugins", "healthScorer"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * A tree in the grouped shape and where its moved values came from.
     *
     * @param tree    the grouped tree (a copy when anything moved)
     * @param origins new path ({@code $.liveness.pingInterval}) to old path ({@code $.pingInterval})
     */
    record Upgraded(ObjectNode tree, Map<String, String> origins) {

        /** A note to add to an error at {@code path} when its value was given under an old key. */
        String noteFor(String path) {
            String old = origins.get(path);
            return old == null ? "" : " (given as " + old + ", the old name of this key)";
        }

        /** The error with a note when it concerns (a part of) a value given under an old key. */
        ConfigError annotate(ConfigError e) {
            for (Map.Entry<String, String> o : origins.entrySet()) {
                String m = e.getMessage();
                if (m.startsWith(o.getKey() + " ") || m.startsWith(o.getKey() + ".") || m.startsWith(o.getKey() + "[")) {
                    return e.withNote(noteFor(o.getKey()));
                }
            }
            return e;
        }
    }

    static Upgraded upgrade(ObjectNode root) throws ConfigError {
        ObjectNode tree = null;
        Map<String, String> origins = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : MOVED.entrySet()) {
            String oldKey = e.getKey();
            if (!root.has(oldKey)) {
                continue;
            }
            if (tree == null) {
                tree = root.deepCopy();
            }
            String group = e.getValue().get(0);
            String key = e.getValue().get(1);
            JsonNode existing = tree.get(group);
            if (existing != null && !existing.isObject()) {
                throw new ConfigError("$." + group, "must be an object, was " + JsonValues.kind(existing));
            }
            ObjectNode target = existing == null ? tree.putObject(group) : (ObjectNode) existing;
            String newPath = "$." + group + "." + key;
            if (target.has(key)) {
                throw new ConfigError("$." + oldKey, "is the old name of " + newPath + ", which is also given; keep only "
                        + newPath);
            }
            target.set(key, tree.remove(oldKey));
            origins.put(newPath, "$." + oldKey);
            log.warn("configuration key '{}' is read as '{}.{}'; write it there, the old name will go", oldKey, group, key);
        }
        return new Upgraded(tree == null ? root : tree, Map.copyOf(origins));
    }
}
