package io.solconnect.relay.core.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.PluginContext;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads and writes {@link RelayConfig} as JSON. Strict: unknown keys, wrong types and invalid
 * values are errors that name the JSON path ({@code $.relays[1].url}) and the problem. Durations
 * are strings with a unit ({@code "250ms"}, {@code "2s"}, {@code "5m"}) or ISO-8601
 * ({@code "PT0.25S"}). Stateless and thread-safe.
 */
public final class ConfigJson {

    /** Largest config file accepted, in bytes. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxNumberLength(32).maxStringLength(64 * 1024).build());
    }

    private static final Set<String> TOP_KEYS = new TreeSet<>(List.of("relays", "selectionStrategy",
            "failoverThreshold", "healthCheckInterval", "maxRetries", "pingInterval", "pingTimeout",
            "connectTimeout", "standbyCount", "outboxMaxMessages", "outboxMaxBytes", "maxMessageBytes",
            "backoffInitial", "backoffMax", "stablePeriod", "ejectionTime", "dedupWindow", "dedupMaxEntries",
            "allowedSchemes", "allowPrivateAddresses", "region", "sender", "discovery", "protocol", "transport",
            "store", "healthScorer"));
    private static final Set<String> RELAY_KEYS = new TreeSet<>(List.of("url", "region", "priority",
            "maxConnections", "weight", "tags"));
    private static final Set<String> STRATEGY_KEYS = new TreeSet<>(List.of("algorithm", "weights",
            "stickySession", "healthWeight", "settings"));
    private static final Set<String> PROVIDER_KEYS = new TreeSet<>(List.of("name", "settings"));

    private ConfigJson() {
    }

    /**
     * Loads a configuration file.
     *
     * @param file the JSON file
     * @return the configuration, or an error naming the file and the field
     */
    public static Result<RelayConfig> load(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                return Result.err(ErrorCode.INVALID_CONFIG, "config file " + file + " is a directory");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                return Result.err(ErrorCode.INVALID_CONFIG, "config file " + file + " is " + size
                        + " bytes; the limit is " + MAX_FILE_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Result.err(ErrorCode.INVALID_CONFIG, "config file " + file + " does not exist");
        } catch (IOException e) {
            return Result.err(ErrorCode.IO, "config file " + file + " cannot be read: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Result.err(ErrorCode.INVALID_CONFIG, "config file " + file + " is not valid UTF-8");
        }
        Result<RelayConfig> parsed = parse(text);
        if (parsed instanceof Result.Err<RelayConfig> err) {
            return Result.err(err.error().code(), "config file " + file + ": " + err.error().message());
        }
        return parsed;
    }

    /**
     * Parses a configuration from JSON text.
     *
     * @param json the text
     * @return the configuration, or an {@link ErrorCode#INVALID_CONFIG} error naming the field
     */
    public static Result<RelayConfig> parse(String json) {
        if (json.isBlank()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "$ is empty; expected a JSON object such as {\"relays\": [\"wss://relay.example.org/\"]}");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return Result.err(ErrorCode.INVALID_CONFIG, "$ is not valid JSON: " + e.getOriginalMessage() + where);
        }
        try {
            return Result.ok(read(root));
        } catch (ConfigError e) {
            return Result.err(ErrorCode.INVALID_CONFIG, e.getMessage());
        }
    }

    private static RelayConfig read(JsonNode root) throws ConfigError {
        ObjectNode obj = object(root, "$");
        checkKeys(obj, "$", TOP_KEYS);
        RelayConfig.Builder b = RelayConfig.custom();
        try {
            if (obj.has("relays")) {
                ArrayNode arr = array(obj.get("relays"), "$.relays");
                List<RelayEndpoint> relays = new ArrayList<>();
                for (int i = 0; i < arr.size(); i++) {
                    relays.add(relay(arr.get(i), "$.relays[" + i + "]"));
                }
                b.relays(relays);
            }
            if (obj.has("selectionStrategy")) {
                b.selectionStrategy(strategy(obj.get("selectionStrategy"), "$.selectionStrategy"));
            }
            if (obj.has("failoverThreshold")) {
                b.failoverThreshold(number(obj.get("failoverThreshold"), "$.failoverThreshold"));
            }
            if (obj.has("healthCheckInterval")) {
                b.healthCheckInterval(duration(obj.get("healthCheckInterval"), "$.healthCheckInterval"));
            }
            if (obj.has("maxRetries")) {
                b.maxRetries(integer(obj.get("maxRetries"), "$.maxRetries"));
            }
            if (obj.has("pingInterval")) {
                b.pingInterval(duration(obj.get("pingInterval"), "$.pingInterval"));
            }
            if (obj.has("pingTimeout")) {
                b.pingTimeout(duration(obj.get("pingTimeout"), "$.pingTimeout"));
            }
            if (obj.has("connectTimeout")) {
                b.connectTimeout(duration(obj.get("connectTimeout"), "$.connectTimeout"));
            }
            if (obj.has("standbyCount")) {
                b.standbyCount(integer(obj.get("standbyCount"), "$.standbyCount"));
            }
            if (obj.has("outboxMaxMessages")) {
                b.outboxMaxMessages(integer(obj.get("outboxMaxMessages"), "$.outboxMaxMessages"));
            }
            if (obj.has("outboxMaxBytes")) {
                b.outboxMaxBytes(longInteger(obj.get("outboxMaxBytes"), "$.outboxMaxBytes"));
            }
            if (obj.has("maxMessageBytes")) {
                b.maxMessageBytes(integer(obj.get("maxMessageBytes"), "$.maxMessageBytes"));
            }
            if (obj.has("backoffInitial")) {
                b.backoffInitial(duration(obj.get("backoffInitial"), "$.backoffInitial"));
            }
            if (obj.has("backoffMax")) {
                b.backoffMax(duration(obj.get("backoffMax"), "$.backoffMax"));
            }
            if (obj.has("stablePeriod")) {
                b.stablePeriod(duration(obj.get("stablePeriod"), "$.stablePeriod"));
            }
            if (obj.has("ejectionTime")) {
                b.ejectionTime(duration(obj.get("ejectionTime"), "$.ejectionTime"));
            }
            if (obj.has("dedupWindow")) {
                b.dedupWindow(duration(obj.get("dedupWindow"), "$.dedupWindow"));
            }
            if (obj.has("dedupMaxEntries")) {
                b.dedupMaxEntries(integer(obj.get("dedupMaxEntries"), "$.dedupMaxEntries"));
            }
            if (obj.has("allowedSchemes")) {
                ArrayNode arr = array(obj.get("allowedSchemes"), "$.allowedSchemes");
                Set<String> schemes = new HashSet<>();
                for (int i = 0; i < arr.size(); i++) {
                    schemes.add(text(arr.get(i), "$.allowedSchemes[" + i + "]"));
                }
                b.allowedSchemes(schemes);
            }
            if (obj.has("allowPrivateAddresses")) {
                b.allowPrivateAddresses(bool(obj.get("allowPrivateAddresses"), "$.allowPrivateAddresses"));
            }
            if (obj.has("region")) {
                b.region(text(obj.get("region"), "$.region"));
            }
            if (obj.has("sender")) {
                b.sender(text(obj.get("sender"), "$.sender"));
            }
            if (obj.has("discovery")) {
                ArrayNode arr = array(obj.get("discovery"), "$.discovery");
                List<ProviderChoice> sources = new ArrayList<>();
                for (int i = 0; i < arr.size(); i++) {
                    sources.add(provider(arr.get(i), "$.discovery[" + i + "]"));
                }
                b.discovery(sources);
            }
            if (obj.has("protocol")) {
                b.protocol(provider(obj.get("protocol"), "$.protocol"));
            }
            if (obj.has("transport")) {
                b.transport(provider(obj.get("transport"), "$.transport"));
            }
            if (obj.has("store")) {
                b.store(provider(obj.get("store"), "$.store"));
            }
            if (obj.has("healthScorer")) {
                b.healthScorer(provider(obj.get("healthScorer"), "$.healthScorer"));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            // RelayConfig's messages start with the field name.
            throw new ConfigError("$." + e.getMessage().split(" ", 2)[0], e.getMessage().contains(" ")
                    ? e.getMessage().split(" ", 2)[1] : "is invalid");
        }
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
                ArrayNode arr = array(o.get("tags"), path + ".tags");
                Set<String> tags = new TreeSet<>();
                for (int i = 0; i < arr.size(); i++) {
                    tags.add(text(arr.get(i), path + ".tags[" + i + "]"));
                }
                rb.tags(tags);
            }
            return rb.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError(path, "is invalid: " + e.getMessage());
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
            for (Iterator<Map.Entry<String, JsonNode>> it = w.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                weights.put(e.getKey(), number(e.getValue(), path + ".weights." + e.getKey()));
            }
        }
        boolean sticky = o.has("stickySession") ? bool(o.get("stickySession"), path + ".stickySession") : d.stickySession();
        double healthWeight = o.has("healthWeight") ? number(o.get("healthWeight"), path + ".healthWeight") : d.healthWeight();
        Map<String, String> settings = o.has("settings") ? settings(o.get("settings"), path + ".settings") : Map.of();
        try {
            return new LoadBalancingStrategy(algorithm, weights, sticky, healthWeight, settings);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(path, "is invalid: " + e.getMessage());
        }
    }

    private static ProviderChoice provider(JsonNode n, String path) throws ConfigError {
        String name;
        Map<String, String> settings = Map.of();
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
                settings = settings(o.get("settings"), path + ".settings");
            }
        }
        if (!ProviderChoice.validName(name)) {
            throw new ConfigError(path, "must be a provider name matching [a-z0-9][a-z0-9-]{0,63}, was '" + name + "'");
        }
        return ProviderChoice.of(name, settings);
    }

    private static Map<String, String> settings(JsonNode n, String path) throws ConfigError {
        ObjectNode o = object(n, path);
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String p = path + "." + e.getKey();
            if (v.isTextual()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isNumber() || v.isBoolean()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    parts.add(text(v.get(i), p + "[" + i + "]"));
                }
                out.put(e.getKey(), String.join(",", parts));
            } else {
                throw new ConfigError(p, "must be a string, number, boolean or array of strings, was " + kind(v));
            }
        }
        return out;
    }

    private static void checkKeys(ObjectNode o, String path, Set<String> known) throws ConfigError {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new ConfigError(path + "." + k, "is not a known key; known keys here: " + String.join(", ", known));
            }
        }
    }

    private static ObjectNode object(JsonNode n, String path) throws ConfigError {
        return object(n, path, "an object");
    }

    private static ObjectNode object(JsonNode n, String path, String expected) throws ConfigError {
        if (n instanceof ObjectNode o) {
            return o;
        }
        throw new ConfigError(path, "must be " + expected + ", was " + kind(n));
    }

    private static ArrayNode array(JsonNode n, String path) throws ConfigError {
        if (n instanceof ArrayNode a) {
            return a;
        }
        throw new ConfigError(path, "must be an array, was " + kind(n));
    }

    private static String text(JsonNode n, String path) throws ConfigError {
        if (n.isTextual()) {
            return n.asText();
        }
        throw new ConfigError(path, "must be a string, was " + kind(n));
    }

    private static boolean bool(JsonNode n, String path) throws ConfigError {
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        throw new ConfigError(path, "must be true or false, was " + kind(n));
    }

    private static double number(JsonNode n, String path) throws ConfigError {
        if (n.isNumber() && Double.isFinite(n.asDouble())) {
            return n.asDouble();
        }
        throw new ConfigError(path, "must be a number, was " + kind(n));
    }

    private static int integer(JsonNode n, String path) throws ConfigError {
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.asInt();
        }
        throw new ConfigError(path, "must be a whole number in the int range, was " + kind(n));
    }

    private static long longInteger(JsonNode n, String path) throws ConfigError {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        throw new ConfigError(path, "must be a whole number, was " + kind(n));
    }

    private static Duration duration(JsonNode n, String path) throws ConfigError {
        if (!n.isTextual()) {
            throw new ConfigError(path, "must be a duration string like \"250ms\", \"2s\" or \"PT2S\", was " + kind(n));
        }
        Optional<Duration> d = PluginContext.parseDuration(n.asText());
        if (d.isEmpty()) {
            throw new ConfigError(path, "must be a duration string like \"250ms\", \"2s\" or \"PT2S\", was \"" + n.asText() + "\"");
        }
        if (d.get().isNegative() || d.get().isZero()) {
            throw new ConfigError(path, "must be positive, was \"" + n.asText() + "\"");
        }
        return d.get();
    }

    private static String kind(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case STRING -> "the string \"" + abbreviate(n.asText()) + "\"";
            case NUMBER -> "the number " + abbreviate(n.asText());
            case BOOLEAN -> n.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 57) + "...";
    }

    /**
     * Writes a configuration as JSON that {@link #parse} reads back to an equal configuration.
     *
     * @param c the configuration
     * @return indented JSON text
     */
    public static String toJson(RelayConfig c) {
        ObjectNode o = MAPPER.createObjectNode();
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
        LoadBalancingStrategy s = c.selection().strategy();
        ObjectNode so = o.putObject("selectionStrategy");
        so.put("algorithm", s.algorithm());
        ObjectNode w = so.putObject("weights");
        s.weights().forEach(w::put);
        so.put("stickySession", s.stickySession());
        so.put("healthWeight", s.healthWeight());
        ObjectNode ss = so.putObject("settings");
        s.settings().forEach(ss::put);
        o.put("failoverThreshold", c.selection().failoverThreshold());
        o.put("healthCheckInterval", c.selection().healthCheckInterval().toString());
        o.put("maxRetries", c.failover().maxRetries());
        o.put("pingInterval", c.liveness().pingInterval().toString());
        o.put("pingTimeout", c.liveness().pingTimeout().toString());
        o.put("connectTimeout", c.liveness().connectTimeout().toString());
        o.put("standbyCount", c.failover().standbyCount());
        o.put("outboxMaxMessages", c.outbox().maxMessages());
        o.put("outboxMaxBytes", c.outbox().maxBytes());
        o.put("maxMessageBytes", c.outbox().maxMessageBytes());
        o.put("backoffInitial", c.failover().backoffInitial().toString());
        o.put("backoffMax", c.failover().backoffMax().toString());
        o.put("stablePeriod", c.failover().stablePeriod().toString());
        o.put("ejectionTime", c.failover().ejectionTime().toString());
        o.put("dedupWindow", c.dedup().window().toString());
        o.put("dedupMaxEntries", c.dedup().maxEntries());
        ArrayNode schemes = o.putArray("allowedSchemes");
        c.security().allowedSchemes().stream().sorted().forEach(schemes::add);
        o.put("allowPrivateAddresses", c.security().allowPrivateAddresses());
        o.put("region", c.selection().region());
        o.put("sender", c.sender());
        ArrayNode disc = o.putArray("discovery");
        for (ProviderChoice p : c.plugins().discovery()) {
            disc.add(providerJson(p));
        }
        o.set("protocol", providerJson(c.plugins().protocol()));
        o.set("transport", providerJson(c.plugins().transport()));
        o.set("store", providerJson(c.plugins().store()));
        o.set("healthScorer", providerJson(c.plugins().healthScorer()));
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config JSON", e);
        }
    }

    private static ObjectNode providerJson(ProviderChoice p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", p.name());
        ObjectNode s = o.putObject("settings");
        p.settings().forEach(s::put);
        return o;
    }

    /**
     * The shared, hardened mapper (duplicate keys refused, nesting and length limits).
     *
     * @return the mapper; do not reconfigure it
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

}
