package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a provider's {@code create} method receives: its own settings, the whole configuration,
 * the time source and task runner, and a sink for events. Immutable and thread-safe.
 *
 * @param providerName the name the provider was selected by
 * @param settings     the provider's settings from its {@link io.solconnect.relay.api.ProviderChoice}
 * @param config       the whole client configuration
 * @param scheduler    time and task scheduling; plugins must use it rather than the system clock
 *                     or their own timer threads, so that tests can run them in virtual time
 * @param events       publishes events to the client's subscribers; never blocks, never throws
 * @param relayPolicy  the engine's check of discovered relays, for discovery sources that want to
 *                     skip work for relays it would refuse (the engine checks their results anyway)
 */
public record PluginContext(String providerName, Map<String, String> settings, RelayConfig config,
                            Scheduler scheduler, Consumer<RelayEvent> events, RelayPolicy relayPolicy) {

    /**
     * Checks and copies the components.
     *
     * @param providerName the name the provider was selected by
     * @param settings the provider's settings from its {@link io.solconnect.relay.api.ProviderChoice}
     * @param config the whole client configuration
     * @param scheduler time and task scheduling; plugins must use it rather than the system clock or their own timer threads, so that tests can run them in virtual time
     * @param events publishes events to the client's subscribers; never blocks, never throws
     * @param relayPolicy the engine's check of discovered relays
     */
    public PluginContext {
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(relayPolicy, "relayPolicy");
        settings = Map.copyOf(settings);
    }

    /**
     * A context with {@link RelayPolicy#refuseNothing()}, for use outside the engine (tests, tools).
     *
     * @param providerName the name the provider was selected by
     * @param settings the provider's settings
     * @param config the whole client configuration
     * @param scheduler time and task scheduling
     * @param events publishes events; never blocks, never throws
     */
    public PluginContext(String providerName, Map<String, String> settings, RelayConfig config, Scheduler scheduler,
                         Consumer<RelayEvent> events) {
        this(providerName, settings, config, scheduler, events, RelayPolicy.refuseNothing());
    }

    /**
     * A setting's value.
     *
     * @param key the key
     * @return the value, or empty when not set
     */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /**
     * A positive duration setting of at most {@link RelayConfig#MAX_DURATION}, written as ISO-8601
     * ({@code PT2S}) or as a number with a unit suffix {@code ms}, {@code s} or {@code m}
     * ({@code 250ms}, {@code 2s}).
     *
     * @param key      the key
     * @param fallback the value when not set
     * @return the duration, or an {@link ErrorCode#INVALID_CONFIG} error naming the key
     */
    public Result<Duration> durationSetting(String key, Duration fallback) {
        String raw = settings.get(key);
        if (raw == null) {
            return Result.ok(fallback);
        }
        Optional<Duration> d = parseDuration(raw);
        if (d.isEmpty() || d.get().isNegative() || d.get().isZero()) {
            return Result.err(ErrorCode.INVALID_CONFIG, providerName + "." + key
                    + " must be a positive duration like '250ms', '2s' or 'PT2S', was '" + raw + "'");
        }
        if (d.get().compareTo(RelayConfig.MAX_DURATION) > 0) {
            return Result.err(ErrorCode.INVALID_CONFIG, providerName + "." + key + " must be at most "
                    + RelayConfig.MAX_DURATION.toDays() + " days, was '" + raw + "'");
        }
        return Result.ok(d.get());
    }

    /**
     * An integer setting within bounds.
     *
     * @param key      the key
     * @param fallback the value when not set
     * @param min      the smallest value accepted
     * @param max      the largest value accepted
     * @return the value, or an {@link ErrorCode#INVALID_CONFIG} error naming the key
     */
    public Result<Integer> intSetting(String key, int fallback, int min, int max) {
        String raw = settings.get(key);
        if (raw == null) {
            return Result.ok(fallback);
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) {
                return Result.ok(v);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        return Result.err(ErrorCode.INVALID_CONFIG, providerName + "." + key + " must be an integer in "
                + min + ".." + max + ", was '" + raw + "'");
    }

    /**
     * Parses {@code 250ms}, {@code 2s}, {@code 5m} or ISO-8601 {@code PT2S}.
     *
     * @param raw the text
     * @return the duration, or empty when it does not parse
     */
    public static Optional<Duration> parseDuration(String raw) {
        String s = raw.strip();
        try {
            if (s.startsWith("PT") || s.startsWith("pt") || s.startsWith("P") || s.startsWith("-P")) {
                return Optional.of(Duration.parse(s));
            }
            if (s.endsWith("ms")) {
                return Optional.of(Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip())));
            }
            if (s.endsWith("s")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).strip())));
            }
            if (s.endsWith("m")) {
                return Optional.of(Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).strip())));
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
