package io.solconnect.relay.core;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.internal.config.ConfigJson;

import java.nio.file.Path;

/**
 * Reads and writes {@link RelayConfig} as JSON: the one JSON form used by config files, the
 * store, the settings page and the JSON API. Stateless and thread-safe.
 *
 * <p>The JSON mirrors the records: {@code relays} and {@code sender} at the top, and one object
 * per concern whose keys are the record's components, e.g.
 * <pre>{@code
 * {"relays": ["wss://a.example.org/ws"],
 *  "selection": {"strategy": "round-robin", "failoverThreshold": 0.3},
 *  "liveness": {"pingInterval": "150ms", "pingTimeout": "250ms"},
 *  "failover": {"standbyCount": 1, "backoffMax": "30s"},
 *  "outbox": {"maxMessages": 10000}, "dedup": {"window": "10m"},
 *  "security": {"allowedSchemes": ["wss"]},
 *  "plugins": {"discovery": ["static"], "store": {"name": "file", "settings": {"application": "my-app"}}}}
 * }</pre>
 * Every key is optional except that relays (or a discovery source other than {@code static})
 * must be given; defaults are those of the records. Durations are strings with a unit
 * ({@code "250ms"}, {@code "2s"}, {@code "5m"}) or ISO-8601. A relay is a URL string or an object
 * {@code {"url", "region", "priority", "maxConnections", "weight", "tags"}}; a provider is a name
 * or {@code {"name", "settings"}}. Files in the older flat shape ({@code "pingInterval"} at the
 * top) still load, with a warning naming each key's new place.
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
     * Changes some options of a configuration: {@code patchJson} has the shape of a config file
     * with any keys left out; its objects are merged key by key, other values replace the current
     * ones ({@code weights} and {@code settings} maps are replaced whole). {@code null} is refused.
     *
     * @param base      the configuration to start from
     * @param patchJson the options to change, e.g. {@code {"liveness": {"pingInterval": "200ms"}}}
     * @return the changed configuration, or an error naming the JSON path and the problem
     */
    public static Result<RelayConfig> update(RelayConfig base, String patchJson) {
        return ConfigJson.merge(base, patchJson);
    }

    /**
     * Writes a configuration as JSON that {@link #parse} reads back to an equal configuration.
     *
     * @param config the configuration
     * @return indented JSON text holding every option, defaults included
     */
    public static String toJson(RelayConfig config) {
        return ConfigJson.toJson(config);
    }
}
