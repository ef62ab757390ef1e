package io.solconnect.relay.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.spi.PluginContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Typed reads of JSON values that fail with a {@link ConfigError} naming the path and what was
 * found, and the one text form of durations. Stateless.
 */
final class JsonValues {

    private JsonValues() {
    }

    static void checkKeys(ObjectNode o, String path, Collection<String> known) throws ConfigError {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new ConfigError(path + "." + k, "is not a known key; known keys here: "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    static ObjectNode object(JsonNode n, String path) throws ConfigError {
        return object(n, path, "an object");
    }

    static ObjectNode object(JsonNode n, String path, String expected) throws ConfigError {
        if (n instanceof ObjectNode o) {
            return o;
        }
        throw new ConfigError(path, "must be " + expected + ", was " + kind(n));
    }

    static ArrayNode array(JsonNode n, String path) throws ConfigError {
        if (n instanceof ArrayNode a) {
            return a;
        }
        throw new ConfigError(path, "must be an array, was " + kind(n));
    }

    static String text(JsonNode n, String path) throws ConfigError {
        if (n.isTextual()) {
            return n.asText();
        }
        throw new ConfigError(path, "must be a string, was " + kind(n));
    }

    static List<String> texts(JsonNode n, String path) throws ConfigError {
        ArrayNode arr = array(n, path);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            out.add(text(arr.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    static boolean bool(JsonNode n, String path) throws ConfigError {
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        throw new ConfigError(path, "must be true or false, was " + kind(n));
    }

    static double number(JsonNode n, String path) throws ConfigError {
        if (n.isNumber() && Double.isFinite(n.asDouble())) {
            return n.asDouble();
        }
        throw new ConfigError(path, "must be a number, was " + kind(n));
    }

    static int integer(JsonNode n, String path) throws ConfigError {
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.asInt();
        }
        throw new ConfigError(path, "must be a whole number in the int range, was " + kind(n));
    }

    static long longInteger(JsonNode n, String path) throws ConfigError {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        throw new ConfigError(path, "must be a whole number, was " + kind(n));
    }

    static Duration duration(JsonNode n, String path) throws ConfigError {
        if (!n.isTextual()) {
            throw new ConfigError(path, "must be a duration string like \"250ms\", \"2s\" or \"PT2S\", was " + kind(n));
        }
        Optional<Duration> d = PluginContext.parseDuration(n.asText());
        if (d.isEmpty()) {
            throw new ConfigError(path, "must be a duration string like \"250ms\", \"2s\" or \"PT2S\", was \""
                    + abbreviate(n.asText()) + "\"");
        }
        if (d.get().isNegative() || d.get().isZero()) {
            throw new ConfigError(path, "must be positive, was \"" + abbreviate(n.asText()) + "\"");
        }
        return d.get();
    }

    /**
     * The text form of a duration: whole seconds as {@code "30s"}, whole milliseconds as
     * {@code "150ms"}, anything finer in ISO-8601. {@link #duration} reads all three back.
     */
    static String durationText(Duration d) {
        if (d.toNanosPart() % 1_000_000 != 0) {
            return d.toString();
        }
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    /** Provider and strategy settings: strings, numbers, booleans, or arrays of strings joined by commas. */
    static Map<String, String> settings(JsonNode n, String path) throws ConfigError {
        ObjectNode o = object(n, path);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode v = e.getValue();
            String p = path + "." + e.getKey();
            if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isArray()) {
                out.put(e.getKey(), String.join(",", texts(v, p)));
            } else {
                throw new ConfigError(p, "must be a string, number, boolean or array of strings, was " + kind(v));
            }
        }
        return out;
    }

    static String kind(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case STRING -> "the string \"" + abbreviate(n.asText()) + "\"";
            case NUMBER -> "the number " + abbreviate(n.asText());
            case BOOLEAN -> n.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 57) + "...";
    }
}
