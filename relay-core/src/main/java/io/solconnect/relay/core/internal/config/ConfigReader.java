package io.solconnect.relay.core.internal.config;

import static io.solconnect.relay.core.internal.config.JsonValues.array;
import static io.solconnect.relay.core.internal.config.JsonValues.bool;
import static io.solconnect.relay.core.internal.config.JsonValues.checkKeys;
import static io.solconnect.relay.core.internal.config.JsonValues.duration;
import static io.solconnect.relay.core.internal.config.JsonValues.integer;
import static io.solconnect.relay.core.internal.config.JsonValues.longInteger;
import static io.solconnect.relay.core.internal.config.JsonValues.number;
import static io.solconnect.relay.core.internal.config.JsonValues.object;
import static io.solconnect.relay.core.internal.config.JsonValues.settings;
import static io.solconnect.relay.core.internal.config.JsonValues.text;
import static io.solconnect.relay.core.internal.config.JsonValues.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the configuration JSON tree into a {@link RelayConfig}: the top-level {@code relays} and
 * {@code sender}, and one object per concern whose keys are the components of the matching record
 * ({@code selection}, {@code liveness}, {@code failover}, {@code outbox}, {@code dedup},
 * {@code security}, {@code plugins}). Old flat keys are moved first by {@link LegacyKeys}.
 * Every error names the JSON path. Stateless.
 */
final class ConfigReader {

    /** Sets one option on the builder from the JSON value at {@code path}. */
    private interface Option {
        void set(RelayConfig.Builder b, JsonNode value, String path) throws ConfigError;
    }

    /** Group name to option name to how it is read; the one list of the JSON keys. */
    static final Map<String, Map<String, Option>> GROUPS = groups();

    private static final Set<String> RELAY_KEYS = Set.of("url", "region", "priority", "maxConnections", "weight",
            "tags");
    private static final Set<String> STRATEGY_KEYS = Set.of("algorithm", "weights", "stickySession",
            "healthWeight", "settings");
    private static final Set<String> PROVIDER_KEYS = Set.of("name", "settings");

    private ConfigReader() {
    }

    private static Map<String, Map<String, Option>> groups() {
        Map<String, Map<String, Option>> g = new LinkedHashMap<>();
        g.put("selection", new Options()
                .add("strategy", (b, n, p) -> b.selectionStrategy(strategy(n, p)))
                .add("failoverThreshold", (b, n, p) -> b.failoverThreshold(number(n, p)))
                .add("healthCheckInterval", (b, n, p) -> b.healthCheckInterval(duration(n, p)))
                .add("region", (b, n, p) -> b.region(text(n, p))).map());
        g.put("liveness", new Options()
                .add("pingInterval", (b, n, p) -> b.pingInterval(duration(n, p)))
                .add("idlePingInterval", (b, n, p) -> b.idlePingInterval(duration(n, p)))
                .add("pingTimeout", (b, n, p) -> b.pingTimeout(duration(n, p)))
                .add("connectTimeout", (b, n, p) -> b.connectTimeout(duration(n, p))).map());
        g.put("failover", new Options()
                .add("standbyCount", (b, n, p) -> b.standbyCount(integer(n, p)))
                .add("maxRetries", (b, n, p) -> b.maxRetries(integer(n, p)))
                .add("backoffInitial", (b, n, p) -> b.backoffInitial(duration(n, p)))
                .add("backoffMax", (b, n, p) -> b.backoffMax(duration(n, p)))
                .add("stablePeriod", (b, n, p) -> b.stablePeriod(duration(n, p)))
                .add("ejectionTime", (b, n, p) -> b.ejectionTime(duration(n, p))).map());
        g.put("outbox", new Options()
                .add("maxMessages", (b, n, p) -> b.outboxMaxMessages(integer(n, p)))
                .add("maxBytes", (b, n, p) -> b.outboxMaxBytes(longInteger(n, p)))
                .add("maxMessageBytes", (b, n, p) -> b.maxMessageBytes(integer(n, p)))
                .add("maxResumeBytes", (b, n, p) -> b.maxResumeBytes(integer(n, p))).map());
        g.put("dedup", new Options()
                .add("window", (b, n, p) -> b.dedupWindow(duration(n, p)))
                .add("maxEntries", (b, n, p) -> b.dedupMaxEntries(integer(n, p))).map());
        g.put("security", new Options()
                .add("allowedSchemes", (b, n, p) -> b.allowedSchemes(new HashSet<>(texts(n, p))))
                .add("allowPrivateAddresses", (b, n, p) -> b.allowPrivateAddresses(bool(n, p))).map());
        g.put("plugins", new Options()
                .add("discovery", (b, n, p) -> b.discovery(providers(n, p)))
                .add("protocol", (b, n, p) -> b.protocol(provider(n, p)))
                .add("transport", (b, n, p) -> b.transport(provider(n, p)))
                .add("store", (b, n, p) -> b.store(provider(n, p)))
                .add("healthScorer", (b, n, p) -> b.healthScorer(provider(n, p))).map());
        return java.util.Collections.unmodifiableMap(g);
    }

    /** The options of one group, in order. */
    private static final class Options {
        private final Map<String, Option> map = new LinkedHashMap<>();

        Options add(String key, Option option) {
            map.put(key, option);
            return this;
        }

        Map<String, Option> map() {
            return java.util.Collections.unmodifiableMap(map);
        }
    }

    /** The keys allowed at the top level. */
    static Set<String> topKeys() {
        Set<String> keys = new TreeSet<>(GROUPS.keySet());
        keys.add("relays");
        keys.add("sender");
        return keys;
    }

    static RelayConfig read(JsonNode root) throws ConfigError {
        LegacyKeys.Upgraded up = LegacyKeys.upgrade(object(root, "$", "a JSON object"));
        ObjectNode obj = up.tree();
        checkKeys(obj, "$", topKeys());
        RelayConfig.Builder b = RelayConfig.custom();
        String path = "$";
        try {
            if (obj.has("relays")) {
                path = "$.relays";
                b.relays(relays(obj.get("relays"), path));
            }
            if (obj.has("sender")) {
                path = "$.sender";
                b.sender(text(obj.get("sender"), path));
            }
            for (Map.Entry<String, Map<String, Option>> group : GROUPS.entrySet()) {
                if (!obj.has(group.getKey())) {
                    continue;
                }
                String groupPath = "$." + group.getKey();
                ObjectNode g = object(obj.get(group.getKey()), groupPath);
                checkKeys(g, groupPath, group.getValue().keySet());
                for (Map.Entry<String, Option> option : group.getValue().entrySet()) {
                    if (g.has(option.getKey())) {
                        path = groupPath + "." + option.getKey();
                        option.getValue().set(b, g.get(option.getKey()), path);
                    }
                }
            }
            path = "$";
            return b.build();
        } catch (ConfigError e) {
            throw up.annotate(e);
        } catch (IllegalArgumentException e) {
            // The builder's and records' messages start with the option's path below "$".
            String message = e.getMessage() == null ? "is invalid" : e.getMessage();
            String[] parts = message.split(" ", 2);
            boolean named = parts.length > 1 && (parts[0].contains(".") || parts[0].startsWith("relays")
                    || parts[0].equals("sender"));
            String where = named ? "$." + parts[0] : path;
            String problem = named ? parts[1] : message;
            throw up.annotate(new ConfigError(where, problem));
        }
    }

    private static List<RelayEndpoint> relays(JsonNode n, String path) throws ConfigError {
        ArrayNode arr = array(n, path);
        List<RelayEndpoint> relays = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            relays.add(relay(arr.get(i), path + "[" + i + "]"));
        }
        return relays;
    }

    private static RelayEndpoint relay(JsonNode n, String path) throws ConfigError {
        if (n.isTextual()) {
            try {
                return RelayEndpoint.of(n.asText());
            } catch (IllegalArgumentException e) {
                throw new ConfigError(path, "is not a valid relay URL: " + e.getMessage());
            }
        }
        ObjectNode o = object(n, path, "a relay URL string or an object with \"url\"");
        checkKeys(o, path, RELAY_KEYS);
        if (!o.has("url")) {
            throw new ConfigError(path + ".url", "is missing");
        }
        String url = text(o.get("url"), path + ".url");
        RelayEndpoint.Builder rb;
        try {
            rb = RelayEndpoint.builder(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(path + ".url", "is not a valid relay URL: " + e.getMessage());
        }
        try {
            if (o.has("region")) {
                rb.region(text(o.get("region"), path + ".region"));
            }
            if (o.has("priority")) {
                rb.priority(integer(o.get("priority"), path + ".priority"));
            }
            if (o.has("maxConnections")) {
                rb.maxConnections(integer(o.get("maxConnections"), path + ".maxConnections"));
            }
            if (o.has("weight")) {
                rb.weight(integer(o.get("weight"), path + ".weight"));
            }
            if (o.has("tags")) {
                rb.tags(new TreeSet<>(texts(o.get("tags"), path + ".tags")));
            }
            return rb.build();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("url ")) {
                throw new ConfigError(path + ".url", "is not a valid relay URL: " + message);
            }
            throw new ConfigError(path, "is invalid: " + message);
        }
    }

    private static LoadBalancingStrategy strategy(JsonNode n, String path) throws ConfigError {
        if (n.isTextual()) {
            try {
                return LoadBalancingStrategy.of(n.asText());
            } catch (IllegalArgumentException e) {
                throw new ConfigError(path, "is invalid: " + e.getMessage());
            }
        }
        ObjectNode o = object(n, path, "an algorithm name or an object");
        checkKeys(o, path, STRATEGY_KEYS);
        LoadBalancingStrategy d = LoadBalancingStrategy.ofDefaults();
        String algorithm = o.has("algorithm") ? text(o.get("algorithm"), path + ".algorithm") : d.algorithm();
        Map<String, Double> weights = new TreeMap<>();
        if (o.has("weights")) {
            ObjectNode w = object(o.get("weights"), path + ".weights");
            for (Map.Entry<String, JsonNode> e : w.properties()) {
                weights.put(e.getKey(), number(e.getValue(), path + ".weights." + e.getKey()));
            }
        }
        boolean sticky = o.has("stickySession") ? bool(o.get("stickySession"), path + ".stickySession") : d.stickySession();
        double healthWeight = o.has("healthWeight") ? number(o.get("healthWeight"), path + ".healthWeight") : d.healthWeight();
        Map<String, String> extra = o.has("settings") ? settings(o.get("settings"), path + ".settings") : Map.of();
        try {
            return new LoadBalancingStrategy(algorithm, weights, sticky, healthWeight, extra);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(path, "is invalid: " + e.getMessage());
        }
    }

    private static List<ProviderChoice> providers(JsonNode n, String path) throws ConfigError {
        ArrayNode arr = array(n, path);
        List<ProviderChoice> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            out.add(provider(arr.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static ProviderChoice provider(JsonNode n, String path) throws ConfigError {
        String name;
        Map<String, String> providerSettings = Map.of();
        if (n.isTextual()) {
            name = n.asText();
        } else {
            ObjectNode o = object(n, path, "a provider name or an object with \"name\"");
            checkKeys(o, path, PROVIDER_KEYS);
            if (!o.has("name")) {
                throw new ConfigError(path + ".name", "is missing");
            }
            name = text(o.get("name"), path + ".name");
            if (o.has("settings")) {
                providerSettings = settings(o.get("settings"), path + ".settings");
            }
        }
        if (!ProviderChoice.validName(name)) {
            throw new ConfigError(path, "must be a provider name matching [a-z0-9][a-z0-9-]{0,63}, was '" + name + "'");
        }
        return ProviderChoice.of(name, providerSettings);
    }
}
