package io.solconnect.relay.ui.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.ui.web.HttpIo.Refusal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns settings requests into a new {@link RelayConfig} and applies it with
 * {@link RelayClient#reconfigure}. Validation is the config's own: the {@link RelayConfig} and
 * {@link RelayEndpoint} constructors' messages and the error of {@code reconfigure} are passed on
 * to the caller word for word. Changes are serialised, so two concurrent edits cannot lose one
 * another. Thread-safe.
 */
final class SettingsApi {

    private static final Set<String> SETTINGS_FIELDS = Set.of("relays", "strategy", "failoverThreshold",
            "pingIntervalMillis", "pingTimeoutMillis", "healthCheckIntervalMillis", "maxRetries", "standbyCount");
    private static final Set<String> STRATEGY_FIELDS = Set.of("algorithm", "stickySession", "healthWeight", "weights",
            "settings");
    private static final Set<String> RELAY_FIELDS = Set.of("url", "region", "priority", "weight", "maxConnections",
            "tags");

    private final RelayClient client;
    private final Object lock = new Object();

    SettingsApi(RelayClient client) {
        this.client = client;
    }

    /** Applies a (partial) settings object; absent fields keep their current value. */
    RelayConfig update(JsonNode body) throws Refusal {
        checkFields(body, SETTINGS_FIELDS, "");
        synchronized (lock) {
            RelayConfig current = client.config();
            RelayConfig.Builder b = RelayConfig.from(current);
            try {
                if (body.has("relays")) {
                    JsonNode relays = body.get("relays");
                    if (!relays.isArray()) {
                        throw bad("relays must be an array");
                    }
                    List<RelayEndpoint> list = new ArrayList<>();
                    for (int i = 0; i < relays.size(); i++) {
                        list.add(endpoint(relays.get(i), "relays[" + i + "]."));
                    }
                    b.relays(list);
                }
                if (body.has("strategy")) {
                    b.selectionStrategy(strategy(body.get("strategy"), current.selection().strategy()));
                }
                if (body.has("failoverThreshold")) {
                    b.failoverThreshold(number(body, "failoverThreshold"));
                }
                if (body.has("pingIntervalMillis")) {
                    b.pingInterval(Duration.ofMillis(whole(body, "pingIntervalMillis")));
                }
                if (body.has("pingTimeoutMillis")) {
                    b.pingTimeout(Duration.ofMillis(whole(body, "pingTimeoutMillis")));
                }
                if (body.has("healthCheckIntervalMillis")) {
                    b.healthCheckInterval(Duration.ofMillis(whole(body, "healthCheckIntervalMillis")));
                }
                if (body.has("maxRetries")) {
                    b.maxRetries(intValue(body, "maxRetries"));
                }
                if (body.has("standbyCount")) {
                    b.standbyCount(intValue(body, "standbyCount"));
                }
                return apply(b.build());
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
        }
    }

    /** Adds one relay to the static list. */
    RelayConfig addRelay(JsonNode body) throws Refusal {
        checkFields(body, RELAY_FIELDS, "");
        synchronized (lock) {
            try {
                RelayEndpoint endpoint = endpoint(body, "");
                RelayConfig current = client.config();
                for (RelayEndpoint e : current.relays()) {
                    if (e.id().equals(endpoint.id())) {
                        throw new Refusal(409, "invalid_config", "url " + endpoint.id() + " is already configured");
                    }
                }
                List<RelayEndpoint> relays = new ArrayList<>(current.relays());
                relays.add(endpoint);
                return apply(RelayConfig.from(current).relays(relays).build());
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
        }
    }

    /** Removes one relay, named by its id (normalised URL), from the static list. */
    RelayConfig removeRelay(String id) throws Refusal {
        if (id == null || id.isBlank()) {
            throw bad("the url query parameter names the relay to remove");
        }
        synchronized (lock) {
            RelayConfig current = client.config();
            String wanted = normalisedId(id);
            List<RelayEndpoint> relays = new ArrayList<>(current.relays());
            if (!relays.removeIf(e -> e.id().equals(wanted))) {
                throw new Refusal(404, "not_found", "no configured relay has url " + wanted);
            }
            try {
                return apply(RelayConfig.from(current).relays(relays).build());
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
        }
    }

    private RelayConfig apply(RelayConfig next) throws Refusal {
        Result<Result.Done> result = client.reconfigure(next);
        if (result.failure().isPresent()) {
            RelayError error = result.failure().get();
            throw new Refusal(422, error.code().code(), error.message());
        }
        return client.config();
    }

    private static String normalisedId(String id) {
        try {
            return RelayEndpoint.of(id).id();
        } catch (IllegalArgumentException e) {
            return id;
        }
    }

    private static RelayEndpoint endpoint(JsonNode n, String prefix) throws Refusal {
        if (n == null || !n.isObject()) {
            throw bad(prefix.isEmpty() ? "a relay must be a JSON object" : prefix + " must be an object");
        }
        checkFields(n, RELAY_FIELDS, prefix);
        if (!n.hasNonNull("url") || !n.get("url").isTextual()) {
            throw bad(prefix + "url is required, e.g. wss://relay.example.org/ws");
        }
        try {
            RelayEndpoint.Builder b = RelayEndpoint.builder(n.get("url").asText());
            if (n.hasNonNull("region")) {
                b.region(text(n, "region", prefix));
            }
            if (n.hasNonNull("priority")) {
                b.priority(intValue(n, "priority", prefix));
            }
            if (n.hasNonNull("weight")) {
                b.weight(intValue(n, "weight", prefix));
            }
            if (n.hasNonNull("maxConnections")) {
                b.maxConnections(intValue(n, "maxConnections", prefix));
            }
            if (n.hasNonNull("tags")) {
                JsonNode tags = n.get("tags");
                if (!tags.isArray()) {
                    throw bad(prefix + "tags must be an array of strings");
                }
                Set<String> set = new LinkedHashSet<>();
                for (JsonNode t : tags) {
                    if (!t.isTextual()) {
                        throw bad(prefix + "tags must be an array of strings");
                    }
                    set.add(t.asText());
                }
                b.tags(set);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
    }

    private static LoadBalancingStrategy strategy(JsonNode n, LoadBalancingStrategy current) throws Refusal {
        if (!n.isObject()) {
            throw bad("strategy must be an object");
        }
        checkFields(n, STRATEGY_FIELDS, "strategy.");
        String algorithm = n.has("algorithm") ? text(n, "algorithm", "strategy.") : current.algorithm();
        boolean sticky = current.stickySession();
        if (n.has("stickySession")) {
            if (!n.get("stickySession").isBoolean()) {
                throw bad("strategy.stickySession must be true or false");
            }
            sticky = n.get("stickySession").asBoolean();
        }
        double healthWeight = n.has("healthWeight") ? number(n, "healthWeight", "strategy.") : current.healthWeight();
        Map<String, Double> weights = current.weights();
        if (n.has("weights")) {
            JsonNode w = n.get("weights");
            if (!w.isObject()) {
                throw bad("strategy.weights must be an object of relay url to number");
            }
            weights = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : w.properties()) {
                if (!e.getValue().isNumber()) {
                    throw bad("strategy.weights." + e.getKey() + " must be a number");
                }
                weights.put(e.getKey(), e.getValue().asDouble());
            }
        }
        Map<String, String> settings = current.settings();
        if (n.has("settings")) {
            JsonNode s = n.get("settings");
            if (!s.isObject()) {
                throw bad("strategy.settings must be an object of name to text");
            }
            settings = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : s.properties()) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw bad("strategy.settings." + e.getKey() + " must be text");
                }
                settings.put(e.getKey(), e.getValue().asText());
            }
        }
        try {
            return new LoadBalancingStrategy(algorithm, weights, sticky, healthWeight, settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy." + e.getMessage(), e);
        }
    }

    private static void checkFields(JsonNode n, Set<String> known, String prefix) throws Refusal {
        for (Map.Entry<String, JsonNode> property : n.properties()) {
            String name = property.getKey();
            if (!known.contains(name)) {
                throw bad("unknown field '" + prefix + name + "'; known: " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static String text(JsonNode n, String field, String prefix) throws Refusal {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(prefix + field + " must be text");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String field) throws Refusal {
        return number(n, field, "");
    }

    private static double number(JsonNode n, String field, String prefix) throws Refusal {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw bad(prefix + field + " must be a number");
        }
        return v.asDouble();
    }

    private static long whole(JsonNode n, String field) throws Refusal {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(field + " must be a whole number of milliseconds");
        }
        return v.asLong();
    }

    private static int intValue(JsonNode n, String field) throws Refusal {
        return intValue(n, field, "");
    }

    private static int intValue(JsonNode n, String field, String prefix) throws Refusal {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw bad(prefix + field + " must be a whole number");
        }
        return v.asInt();
    }

    private static Refusal bad(String message) {
        return new Refusal(400, "bad_input", message);
    }

    private static Refusal invalid(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "invalid configuration" : e.getMessage();
        return new Refusal(400, "invalid_config", message);
    }
}
