package io.solconnect.relay.api;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Names a provider of one SPI and carries its settings, e.g. {@code dns} with
 * {@code {"domain": "relays.example.org"}}. Immutable and thread-safe.
 *
 * <p>Settings are plain strings so that the API stays free of any JSON library; each provider
 * documents the keys it reads, their defaults and units, and reports unknown or malformed values
 * as a {@link Result} error from its {@code create} method.
 *
 * @param name     the provider's {@code name()}: lowercase letters, digits and {@code -}
 * @param settings the provider's settings, copied; default empty
 */
public record ProviderChoice(String name, Map<String, String> settings) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /**
     * Validates the name and copies the settings.
     *
     * @param name the provider's {@code name()}: lowercase letters, digits and {@code -}
     * @param settings the provider's settings, copied; default empty
     * @throws IllegalArgumentException if the name is not a valid provider name
     */
    public ProviderChoice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name must match [a-z0-9][a-z0-9-]{0,63}, was '" + name + "'");
        }
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    /**
     * Names a provider with no settings.
     *
     * @param name the provider name
     * @return the choice
     */
    public static ProviderChoice of(String name) {
        return new ProviderChoice(name.toLowerCase(Locale.ROOT), Map.of());
    }

    /**
     * Names a provider with settings.
     *
     * @param name     the provider name
     * @param settings its settings
     * @return the choice
     */
    public static ProviderChoice of(String name, Map<String, String> settings) {
        return new ProviderChoice(name, settings);
    }

    /**
     * Tells whether a string is a valid provider name.
     *
     * @param name the candidate
     * @return true if it matches {@code [a-z0-9][a-z0-9-]{0,63}}
     */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
