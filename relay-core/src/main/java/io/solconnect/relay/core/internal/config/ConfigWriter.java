package io.solconnect.relay.core.internal.config;

import static io.solconnect.relay.core.internal.config.JsonValues.durationText;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.DedupConfig;
import io.solconnect.relay.api.FailoverConfig;
import io.solconnect.relay.api.LivenessConfig;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.OutboxConfig;
import io.solconnect.relay.api.PluginsConfig;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.SecurityConfig;
import io.solconnect.relay.api.SelectionConfig;

/**
 * Writes a {@link RelayConfig} as the JSON tree that {@link ConfigReader} reads back to an equal
 * configuration: every option, defaults included, grouped as in the records. Stateless.
 */
final class ConfigWriter {

    private ConfigWriter() {
    }

    static ObjectNode write(ObjectMapper mapper, RelayConfig c) {
        ObjectNode o = mapper.createObjectNode();
        ArrayNode relays = o.putArray("relays");
        for (RelayEndpoint r : c.relays()) {
            ObjectNode ro = relays.addObject();
            ro.put("url", r.id());
            ro.put("region", r.region());
            ro.put("priority", r.priority());
            ro.put("maxConnections", r.maxConnections());
            ro.put("weight", r.weight());
            ArrayNode tags = ro.putArray("tags");
            r.tags().stream().sorted().forEach(tags::add);
        }
        o.put("sender", c.sender());

        SelectionConfig sel = c.selection();
        ObjectNode so = o.putObject("selection");
        strategy(so.putObject("strategy"), sel.strategy());
        so.put("failoverThreshold", sel.failoverThreshold());
        so.put("healthCheckInterval", durationText(sel.healthCheckInterval()));
        so.put("region", sel.region());

        LivenessConfig live = c.liveness();
        o.putObject("liveness")
                .put("pingInterval", durationText(live.pingInterval()))
                .put("idlePingInterval", durationText(live.idlePingInterval()))
                .put("pingTimeout", durationText(live.pingTimeout()))
                .put("connectTimeout", durationText(live.connectTimeout()));

        FailoverConfig f = c.failover();
        o.putObject("failover")
                .put("standbyCount", f.standbyCount())
                .put("maxRetries", f.maxRetries())
                .put("backoffInitial", durationText(f.backoffInitial()))
                .put("backoffMax", durationText(f.backoffMax()))
                .put("stablePeriod", durationText(f.stablePeriod()))
                .put("ejectionTime", durationText(f.ejectionTime()));

        OutboxConfig out = c.outbox();
        o.putObject("outbox")
                .put("maxMessages", out.maxMessages())
                .put("maxBytes", out.maxBytes())
                .put("maxMessageBytes", out.maxMessageBytes())
                .put("maxResumeBytes", out.maxResumeBytes());

        DedupConfig d = c.dedup();
        o.putObject("dedup")
                .put("window", durationText(d.window()))
                .put("maxEntries", d.maxEntries());

        SecurityConfig sec = c.security();
        ObjectNode seco = o.putObject("security");
        ArrayNode schemes = seco.putArray("allowedSchemes");
        sec.allowedSchemes().stream().sorted().forEach(schemes::add);
        seco.put("allowPrivateAddresses", sec.allowPrivateAddresses());

        PluginsConfig p = c.plugins();
        ObjectNode po = o.putObject("plugins");
        ArrayNode disc = po.putArray("discovery");
        for (ProviderChoice choice : p.discovery()) {
            provider(disc.addObject(), choice);
        }
        provider(po.putObject("protocol"), p.protocol());
        provider(po.putObject("transport"), p.transport());
        provider(po.putObject("store"), p.store());
        provider(po.putObject("healthScorer"), p.healthScorer());
        return o;
    }

    private static void strategy(ObjectNode so, LoadBalancingStrategy s) {
        so.put("algorithm", s.algorithm());
        ObjectNode w = so.putObject("weights");
        s.weights().forEach(w::put);
        so.put("stickySession", s.stickySession());
        so.put("healthWeight", s.healthWeight());
        ObjectNode ss = so.putObject("settings");
        s.settings().forEach(ss::put);
    }

    private static void provider(ObjectNode o, ProviderChoice p) {
        o.put("name", p.name());
        ObjectNode s = o.putObject("settings");
        p.settings().forEach(s::put);
    }
}
