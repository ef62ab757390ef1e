package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayConfigs;
import io.solconnect.relay.core.RelayManager;

import java.io.PrintStream;
import java.util.function.Consumer;

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
     * A started client and the printer of its events.
     *
     * @param client the client, started
     * @param events its failover/offline/online printer
     */
    public record Started(RelayManager client, EventPrinter events) {
    }

    /**
     * Builds the configuration from the options, creates the client through the provider
     * registry, attaches an {@link EventPrinter}, lets the caller register listeners, and starts
     * it. Errors are printed as {@code "<command>: <error>"}.
     *
     * @param command     the command name, for messages
     * @param args        the parsed options
     * @param scheduler   the scheduler the client runs on
     * @param out         where events are printed
     * @param err         where errors are printed
     * @param beforeStart called with the client before {@code start()}, e.g. to add listeners
     * @return the started client, or the exit code to return: 2 for a configuration the
     *         providers refuse, 1 when the client could not start
     */
    public static Result<Started> start(String command, Args args, Scheduler scheduler, PrintStream out,
                                        PrintStream err, Consumer<RelayManager> beforeStart) {
        Result<RelayManager> created = config(args).flatMap(c -> RelayManager.create(c, ProviderRegistry.load(), scheduler));
        if (created instanceof Result.Err<RelayManager> e) {
            err.println(command + ": " + e.error().message());
            return Result.err(e.error());
        }
        RelayManager client = created.orElseThrow();
        EventPrinter events = new EventPrinter();
        events.attach(client, out, command);
        beforeStart.accept(client);
        Result<Result.Done> started = client.start();
        if (started instanceof Result.Err<Result.Done> e) {
            err.println(command + ": " + e.error());
            client.stop();
            return Result.err(ErrorCode.CONNECT_FAILED, e.error().message());
        }
        return Result.ok(new Started(client, events));
    }

    /**
     * The exit code for a failed {@link #start}.
     *
     * @param error the error
     * @return 1 when the client could not start, 2 for a configuration problem
     */
    public static int exitCode(RelayError error) {
        return error.code() == ErrorCode.CONNECT_FAILED ? 1 : 2;
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
            b = RelayConfig.custom().store(ProviderChoice.of("memory"));
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
                LoadBalancingStrategy s = current.selection().strategy().withAlgorithm(args.get("strategy").get());
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
