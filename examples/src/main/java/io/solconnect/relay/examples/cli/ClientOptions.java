package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.RelayConfigs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options {@code send} and {@code receive} share, turned into a {@link RelayConfig}:
 * {@code --config FILE} (the JSON configuration) first, then {@code --relays URL,URL,...},
 * {@code --strategy NAME}, {@code --protocol NAME} and {@code --store-dir DIR} override it. Without
 * {@code --config} and {@code --store-dir}, the client keeps its state in memory, so that two
 * command-line clients on one machine never share a data directory.
 */
public final class ClientOptions {

    /** The option names this class reads. */
    public static final Set<String> OPTIONS = Set.of("relays", "config", "strategy", "protocol", "store-dir", "sender");

    private ClientOptions() {
    }

    /**
     * Builds the configuration.
     *
     * @param args the parsed options
     * @return the configuration, or an error naming the bad option or field
     */
    public static Result<RelayConfig> config(Args args) {
        RelayConfig.Builder b;
        if (args.get("config").isPresent()) {
            Result<RelayConfig> loaded = RelayConfigs.load(Path.of(args.get("config").get()));
            if (loaded instanceof Result.Err<RelayConfig> e) {
                return Result.err(e.error());
            }
            b = RelayConfig.from(loaded.orElseThrow());
        } else {
            b = RelayConfig.builder().store(ProviderChoice.of("memory"));
            if (args.get("relays").isEmpty()) {
                return Result.err(io.solconnect.relay.api.ErrorCode.INVALID_CONFIG, "--relays or --config is required");
            }
        }
        try {
            if (args.get("relays").isPresent()) {
                List<RelayEndpoint> relays = new ArrayList<>();
                for (String url : args.get("relays").get().split(",")) {
                    if (!url.isBlank()) {
                        relays.add(RelayEndpoint.of(url.strip()));
                    }
                }
                b.relays(relays);
            }
            if (args.get("strategy").isPresent()) {
                RelayConfig current = b.build();
                LoadBalancingStrategy s = current.selectionStrategy().withAlgorithm(args.get("strategy").get());
                b.selectionStrategy(s);
            }
            args.get("protocol").ifPresent(b::protocol);
            args.get("sender").ifPresent(b::sender);
            args.get("store-dir").ifPresent(dir -> b.store(ProviderChoice.of("file", Map.of("directory", dir))));
            return Result.ok(b.build());
        } catch (IllegalArgumentException e) {
            return Result.err(RelayError.of(io.solconnect.relay.api.ErrorCode.INVALID_CONFIG, e.getMessage()));
        }
    }
}
