package io.solconnect.relay.core;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.internal.config.ConfigJson;

import java.nio.file.Path;

/**
 * Reads and writes {@link RelayConfig} as JSON. Stateless and thread-safe.
 *
 * <p>The JSON mirrors the record: every key is optional except that relays (or a discovery source
 * other than {@code static}) must be given; defaults are those of {@link RelayConfig#builder()}.
 * Durations are strings with a unit ({@code "250ms"}, {@code "2s"}, {@code "5m"}) or ISO-8601.
 * A relay is a URL string or an object {@code {"url", "region", "priority", "maxConnections",
 * "weight", "tags"}}; a provider ({@code protocol}, {@code transport}, {@code store},
 * {@code healthScorer}, entries of {@code discovery}) is a name or {@code {"name", "settings"}}.
 *
 * <p>Parsing is strict: unknown keys, duplicate keys, wrong types, out-of-range values, more than
 * 1 MiB or 32 levels of nesting are errors whose message names the JSON path, e.g.
 * {@code "config file relay.json: $.relays[1].url uses ws:// to a non-loopback host; ..."}.
 */
public final class RelayConfigs {

    private RelayConfigs() {
    }

    /**
     * Loads a configuration file.
     *
     * @param file the JSON file
     * @return the configuration, or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG}
     *         (or {@code IO}) error naming the file, the JSON path and the problem
     */
    public static Result<RelayConfig> load(Path file) {
        return ConfigJson.load(file);
    }

    /**
     * Parses a configuration from JSON text.
     *
     * @param json the text
     * @return the configuration, or an error naming the JSON path and the problem
     */
    public static Result<RelayConfig> parse(String json) {
        return ConfigJson.parse(json);
    }

    /**
     * Writes a configuration as JSON that {@link #parse} reads back to an equal configuration.
     *
     * @param config the configuration
     * @return indented JSON text
     */
    public static String toJson(RelayConfig config) {
        return ConfigJson.toJson(config);
    }
}
