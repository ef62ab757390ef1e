package io.solconnect.relay.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.ConnectionRecord;
import io.solconnect.relay.core.internal.config.ConfigJson;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** JSON forms of the records the file store keeps. Stateless; throws on malformed input. */
final class StoreJson {

    private StoreJson() {
    }

    static ObjectNode endpoint(RelayEndpoint r) {
        ObjectNode o = ConfigJson.mapper().createObjectNode();
        o.put("url", r.id());
        o.put("region", r.region());
        o.put("priority", r.priority());
        o.put("maxConnections", r.maxConnections());
        o.put("weight", r.weight());
        ArrayNode tags = o.putArray("tags");
        r.tags().stream().sorted().forEach(tags::add);
        return o;
    }

    static RelayEndpoint endpoint(JsonNode n) {
        Set<String> tags = new TreeSet<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        return RelayEndpoint.builder(required(n, "url").asText())
                .region(n.path("region").asText(""))
                .priority(n.path("priority").asInt(0))
                .maxConnections(n.path("maxConnections").asInt(RelayEndpoint.DEFAULT_MAX_CONNECTIONS))
                .weight(n.path("weight").asInt(1))
                .tags(tags)
                .build();
    }

    static ObjectNode history(ConnectionRecord r) {
        ObjectNode o = ConfigJson.mapper().createObjectNode();
        o.put("relay", r.relay());
        o.put("connectedAt", r.connectedAt().toString());
        o.put("durationMs", r.duration().toMillis());
        o.put("closeCode", r.closeCode());
        o.put("reason", r.reason());
        return o;
    }

    static ConnectionRecord history(JsonNode n) {
        return new ConnectionRecord(required(n, "relay").asText(), Instant.parse(required(n, "connectedAt").asText()),
                Duration.ofMillis(required(n, "durationMs").asLong()), required(n, "closeCode").asInt(),
                n.path("reason").asText(""));
    }

    static ObjectNode message(OutboundMessage m) {
        ObjectNode o = ConfigJson.mapper().createObjectNode();
        o.put("id", m.id());
        o.put("room", m.room());
        o.put("sender", m.sender());
        o.put("payload", m.payload());
        o.put("createdAt", m.createdAt().toString());
        return o;
    }

    static OutboundMessage message(JsonNode n) {
        return new OutboundMessage(required(n, "id").asText(), required(n, "room").asText(),
                required(n, "sender").asText(), required(n, "payload").asText(),
                Instant.parse(required(n, "createdAt").asText()));
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw new IllegalArgumentException("missing or invalid field '" + field + "'");
        }
        return v;
    }
}
