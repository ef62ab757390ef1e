package io.solconnect.relay.ui.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.FailoverRecord;
import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.RelayStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns API values into the JSON shapes of the HTTP API (documented in the module README). Field
 * names are part of the API: add fields, never rename them. Times are ISO-8601 strings, durations
 * are milliseconds, unknown numbers are {@code null}. Stateless.
 */
final class JsonViews {

    /** Strategy names offered in the settings page; others can be typed. */
    static final List<String> KNOWN_ALGORITHMS =
            List.of("p2c-ewma", "round-robin", "least-connections", "weighted-random", "geographic");

    private JsonViews() {
    }

    static ObjectNode status(ClientStatus s, Duration healthCheckInterval) {
        ObjectNode n = HttpIo.JSON.createObjectNode();
        n.put("at", s.at().toString());
        n.put("state", s.state().name());
        putOptional(n, "primary", s.primary());
        strings(n.putArray("standby"), s.standby());
        n.put("outboxDepth", s.outboxDepth());
        n.put("outboxBytes", s.outboxBytes());
        n.put("healthCheckIntervalMillis", healthCheckInterval.toMillis());
        ClientStatus.Counters c = s.counters();
        n.putObject("counters")
                .put("sent", c.sent())
                .put("acknowledged", c.acknowledged())
                .put("failed", c.failed())
                .put("delivered", c.delivered())
                .put("duplicatesSuppressed", c.duplicatesSuppressed())
                .put("malformedFrames", c.malformedFrames())
                .put("failovers", c.failovers())
                .put("resendsRequested", c.resendsRequested())
                .put("resent", c.resent())
                .put("limitsExceeded", c.limitsExceeded())
                .put("serialsRefused", c.serialsRefused())
                .put("resendsThrottled", c.resendsThrottled())
                .put("acksRefused", c.acksRefused())
                .put("foreignDropped", c.foreignDropped());
        n.set("relays", relays(s.relays()));
        n.set("failovers", failovers(s.recentFailovers()));
        return n;
    }

    static ArrayNode relays(List<RelayStatus> relays) {
        ArrayNode a = HttpIo.JSON.createArrayNode();
        for (RelayStatus r : relays) {
            ObjectNode n = a.addObject();
            endpoint(n, r.endpoint());
            n.put("role", r.role().name());
            n.put("connected", r.connected());
            putNumber(n, "score", r.score());
            n.put("ejectedUntil", r.ejectedUntil().map(Instant::toString).orElse(null));
            n.set("metrics", metrics(r.metrics()));
            ArrayNode history = n.putArray("rttHistory");
            for (Double v : r.rttHistory()) {
                if (v == null || !Double.isFinite(v)) {
                    history.addNull();
                } else {
                    history.add(v);
                }
            }
        }
        return a;
    }

    static ArrayNode failovers(List<FailoverRecord> records) {
        ArrayNode a = HttpIo.JSON.createArrayNode();
        for (FailoverRecord f : records) {
            ObjectNode n = a.addObject();
            n.put("at", f.at().toString());
            putOptional(n, "from", f.from());
            n.put("to", f.to());
            n.put("reason", f.reason());
            n.put("durationMillis", millis(f.duration()));
            n.put("replayed", f.replayed());
        }
        return a;
    }

    static ObjectNode metrics(QualityMetrics m) {
        ObjectNode n = HttpIo.JSON.createObjectNode();
        putOptional(n, "rttMillis", m.rttEwmaMillis());
        putOptional(n, "rttP50Millis", m.rttP50Millis());
        putOptional(n, "rttP99Millis", m.rttP99Millis());
        putNumber(n, "inboundPerSecond", m.inboundPerSecond());
        putNumber(n, "outboundPerSecond", m.outboundPerSecond());
        putNumber(n, "inboundBytesPerSecond", m.inboundBytesPerSecond());
        putNumber(n, "outboundBytesPerSecond", m.outboundBytesPerSecond());
        putOptional(n, "errorRate", m.errorRate());
        n.put("disconnectsInWindow", m.disconnectsInWindow());
        n.put("connectedForMillis", m.connectedFor().toMillis());
        n.put("activeConnections", m.activeConnections());
        putOptional(n, "reportedLoad", m.reportedLoad());
        n.put("windowMillis", m.window().toMillis());
        return n;
    }

    static ObjectNode event(RelayEvent e) {
        ObjectNode n = HttpIo.JSON.createObjectNode();
        n.put("type", e.getClass().getSimpleName());
        n.put("at", e.at().toString());
        putOptional(n, "relay", e.relayId());
        if (e instanceof RelayEvent.RelayDiscovered d) {
            n.put("source", d.source());
        } else if (e instanceof RelayEvent.RelayLost l) {
            n.put("source", l.source());
        } else if (e instanceof RelayEvent.DiscoveryFailed d) {
            n.put("source", d.source());
            error(n, d.error());
        } else if (e instanceof RelayEvent.Connected c) {
            n.put("role", c.role().name());
        } else if (e instanceof RelayEvent.Disconnected d) {
            n.put("closeCode", d.closeCode());
            n.put("reason", d.reason());
        } else if (e instanceof RelayEvent.Failover f) {
            putOptional(n, "from", f.from());
            n.put("to", f.to());
            n.put("reason", f.reason());
            n.put("durationMillis", millis(f.duration()));
            n.put("replayed", f.replayed());
        } else if (e instanceof RelayEvent.HealthChanged h) {
            putNumber(n, "oldScore", h.oldScore());
            putNumber(n, "newScore", h.newScore());
        } else if (e instanceof RelayEvent.Ejected j) {
            n.put("until", j.until().toString());
            n.put("reason", j.reason());
        } else if (e instanceof RelayEvent.Offline o) {
            n.put("reason", o.reason());
        } else if (e instanceof RelayEvent.Online o) {
            n.put("offlineMillis", o.offline().toMillis());
        } else if (e instanceof RelayEvent.StateChanged s) {
            n.put("from", s.from().name());
            n.put("to", s.to().name());
            n.put("reason", s.reason());
        } else if (e instanceof RelayEvent.MessageAcknowledged m) {
            n.put("messageId", m.messageId());
            n.put("confirmed", m.confirmed());
        } else if (e instanceof RelayEvent.MessageFailed m) {
            n.put("messageId", m.messageId());
            error(n, m.error());
        } else if (e instanceof RelayEvent.FrameRejected f) {
            n.put("reason", f.reason());
        } else if (e instanceof RelayEvent.StoreDamaged d) {
            n.put("file", d.file());
            n.put("lines", d.lines());
            n.put("lastLineOnly", d.lastLineOnly());
            n.put("detail", d.detail());
        }
        return n;
    }

    private static void endpoint(ObjectNode n, RelayEndpoint e) {
        n.put("id", e.id());
        n.put("url", e.url().toString());
        n.put("region", e.region());
        n.put("priority", e.priority());
        n.put("weight", e.weight());
        n.put("maxConnections", e.maxConnections());
        strings(n.putArray("tags"), new java.util.TreeSet<>(e.tags()));
    }

    private static void error(ObjectNode n, RelayError error) {
        n.putObject("error").put("code", error.code().code()).put("message", error.message());
    }

    private static void strings(ArrayNode a, Collection<String> values) {
        values.forEach(a::add);
    }

    private static void putOptional(ObjectNode n, String field, Optional<String> value) {
        n.put(field, value.orElse(null));
    }

    private static void putOptional(ObjectNode n, String field, OptionalDouble value) {
        if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
            n.put(field, value.getAsDouble());
        } else {
            n.putNull(field);
        }
    }

    private static void putNumber(ObjectNode n, String field, double value) {
        if (Double.isFinite(value)) {
            n.put(field, value);
        } else {
            n.putNull(field);
        }
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
