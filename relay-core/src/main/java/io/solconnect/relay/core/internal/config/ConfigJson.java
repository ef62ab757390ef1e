package io.solconnect.relay.core.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LivenessConfig;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one JSON form of {@link RelayConfig}, used by the config file, the store, the settings page
 * and the JSON API. Strict: unknown keys, duplicate keys, wrong types and invalid values are
 * errors that name the JSON path ({@code $.relays[1].url}, {@code $.liveness.pingInterval}) and the
 * problem. Durations are strings with a unit ({@code "250ms"}, {@code "2s"}, {@code "5m"}) or
 * ISO-8601 ({@code "PT0.25S"}). Files in the old flat shape still load ({@link LegacyKeys}).
 * Stateless and thread-safe.
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
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
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
            return Result.err(ErrorCode.INVALID_CONFIG,
                    "$ is empty; expected a JSON object such as {\"relays\": [\"wss://relay.example.org/\"]}");
        }
        Result<JsonNode> tree = readTree(json);
        if (tree instanceof Result.Err<JsonNode> err) {
            return Result.err(err.error());
        }
        return fromTree(tree.orElseThrow());
    }

    /**
     * Applies a partial configuration to an existing one: objects in {@code patchJson} are merged
     * key by key into the current configuration's JSON, any other value replaces the current one
     * (RFC 7386 merge patch, except that {@code null} is refused). Old flat keys are accepted as
     * in a file.
     *
     * @param base      the configuration to change
     * @param patchJson a JSON object in the shape of the config file, any keys left out
     * @return the changed configuration, or an {@link ErrorCode#INVALID_CONFIG} error naming the field
     */
    public static Result<RelayConfig> merge(RelayConfig base, String patchJson) {
        Result<JsonNode> patch = readTree(patchJson);
        if (patch instanceof Result.Err<JsonNode> err) {
            return Result.err(err.error());
        }
        try {
            ObjectNode p = LegacyKeys.upgrade(JsonValues.object(patch.orElseThrow(), "$", "a JSON object")).tree();
            ObjectNode merged = toTree(base);
            keepDerivedDefaults(base, merged, p);
            mergeInto(merged, p, "$");
            return fromTree(merged);
        } catch (ConfigError e) {
            return Result.err(ErrorCode.INVALID_CONFIG, e.getMessage());
        }
    }

    /**
     * An option whose default follows another one ({@code liveness.idlePingInterval}: 5 s, or
     * {@code pingInterval} when longer) and that has its default keeps following it when a patch
     * changes the other one and leaves it out: a settings page that raises the ping interval past
     * 5 s need not know the idle one.
     */
    private static void keepDerivedDefaults(RelayConfig base, ObjectNode merged, ObjectNode patch) {
        JsonNode live = patch.get("liveness");
        LivenessConfig l = base.liveness();
        if (live != null && live.has("pingInterval") && !live.has("idlePingInterval")
                && l.idlePingInterval().equals(LivenessConfig.defaultIdlePingInterval(l.pingInterval()))
                && merged.get("liveness") instanceof ObjectNode m) {
            m.remove("idlePingInterval");
        }
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch, String path) throws ConfigError {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            JsonNode value = e.getValue();
            String p = path + "." + e.getKey();
            if (value.isNull()) {
                throw new ConfigError(p, "must not be null; leave the key out to keep the current value");
            }
            JsonNode current = target.get(e.getKey());
            if (value.isObject() && current instanceof ObjectNode currentObject && !isMap(p)) {
                mergeInto(currentObject, (ObjectNode) value, p);
            } else {
                target.set(e.getKey(), value);
            }
        }
    }

    /** Maps of names (weights, provider settings) are replaced whole, so a key can be removed. */
    private static boolean isMap(String path) {
        return path.endsWith(".weights") || path.endsWith(".settings");
    }

    private static Result<JsonNode> readTree(String json) {
        try {
            return Result.ok(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return Result.err(ErrorCode.INVALID_CONFIG, "$ is not valid JSON: " + e.getOriginalMessage() + where);
        }
    }

    private static Result<RelayConfig> fromTree(JsonNode root) {
        try {
            return Result.ok(ConfigReader.read(root));
        } catch (ConfigError e) {
            return Result.err(ErrorCode.INVALID_CONFIG, e.getMessage());
        }
    }

    /**
     * Writes a configuration as JSON that {@link #parse} reads back to an equal configuration.
     *
     * @param c the configuration
     * @return indented JSON text holding every option
     */
    public static String toJson(RelayConfig c) {
        try {
            return MAPPER.writeValueAsString(toTree(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config JSON", e);
        }
    }

    /**
     * The JSON tree of a configuration, every option included.
     *
     * @param c the configuration
     * @return a new tree the caller may change
     */
    public static ObjectNode toTree(RelayConfig c) {
        return ConfigWriter.write(MAPPER, c);
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
