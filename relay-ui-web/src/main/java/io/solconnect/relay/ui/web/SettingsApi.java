package io.solconnect.relay.ui.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.RelayConfigs;
import io.solconnect.relay.ui.web.HttpIo.Refusal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns settings requests into a new {@link RelayConfig} and applies it with
 * {@link RelayClient#reconfigure}. Bodies are in the one JSON form of the configuration (that of
 * config files, {@link RelayConfigs}); its messages, which name the JSON path, and the error of
 * {@code reconfigure} are passed on word for word. Changes are serialised, so two concurrent
 * edits cannot lose one another. Thread-safe.
 */
final class SettingsApi {

    private final RelayClient client;
    private final Object lock = new Object();

    SettingsApi(RelayClient client) {
        this.client = client;
    }

    /** Applies a partial configuration (any keys of the config file); absent keys keep their value. */
    RelayConfig update(JsonNode body) throws Refusal {
        synchronized (lock) {
            return apply(merged(client.config(), body));
        }
    }

    /** Adds one relay (a relay of the config file: {@code {"url", "region", ...}}) to the static list. */
    RelayConfig addRelay(JsonNode body) throws Refusal {
        if (!body.isObject()) {
            throw bad("a relay must be a JSON object");
        }
        synchronized (lock) {
            RelayConfig current = client.config();
            if (body.path("url").isTextual()) {
                String id = normalisedId(body.get("url").asText());
                if (current.relays().stream().anyMatch(e -> e.id().equals(id))) {
                    throw new Refusal(409, "invalid_config", "url " + id + " is already configured");
                }
            }
            ObjectNode patch = HttpIo.JSON.createObjectNode();
            ArrayNode relays = patch.putArray("relays");
            relays.addAll((ArrayNode) configTree(current).get("relays"));
            relays.add(body);
            return apply(merged(current, patch));
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
            RelayConfig next;
            try {
                next = RelayConfig.from(current).relays(relays).build();
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, "invalid_config", "$." + e.getMessage());
            }
            return apply(next);
        }
    }

    /**
     * The JSON view of a configuration: the config file's form under {@code config}, plus what
     * the page needs around it.
     */
    static ObjectNode view(RelayConfig config, boolean readOnly) {
        ObjectNode n = HttpIo.JSON.createObjectNode();
        n.put("readOnly", readOnly);
        ArrayNode algorithms = n.putArray("algorithms");
        JsonViews.KNOWN_ALGORITHMS.forEach(algorithms::add);
        n.set("config", configTree(config));
        return n;
    }

    private static JsonNode configTree(RelayConfig config) {
        try {
            return HttpIo.JSON.readTree(RelayConfigs.toJson(config));
        } catch (IOException e) {
            throw new IllegalStateException("the configuration's own JSON does not parse", e);
        }
    }

    private static RelayConfig merged(RelayConfig base, JsonNode patch) throws Refusal {
        Result<RelayConfig> next = RelayConfigs.update(base, patch.toString());
        if (next.failure().isPresent()) {
            throw new Refusal(400, "invalid_config", next.failure().get().message());
        }
        return next.orElseThrow();
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

    private static Refusal bad(String message) {
        return new Refusal(400, "bad_input", message);
    }
}
