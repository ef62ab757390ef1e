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
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.function.Consumer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options {@code send} and {@code receive} share (a picocli mixin), turned into a
 * {@link RelayConfig}: {@code --config FILE} (the JSON configuration) first, then
 * {@code --relays URL,URL,...}, {@code --strategy NAME}, {@code --protocol NAME},
 * {@code --sender ID} and {@code --store-dir DIR} override it. Without {@code --config} and
 * {@code --store-dir}, the client keeps its state in memory, so that two command-line clients on
 * one machine never share a data directory. Filled by picocli, then read; not thread-safe.
 */
public final class ClientOptions {

    @CommandLine.Option(names = "--relays", paramLabel = "URL,...",
            description = "relays to use, comma-separated (required without --config)")
    private String relays;

    @CommandLine.Option(names = "--config", paramLabel = "FILE",
            description = "the JSON configuration; the other options override it")
    private Path configFile;

    @CommandLine.Option(names = "--strategy", paramLabel = "NAME", description = "load-balancing strategy, e.g. p2c-ewma")
    private String strategy;

    @CommandLine.Option(names = "--protocol", paramLabel = "NAME", description = "solconnect-sync or solconnect-legacy")
    private String protocol;

    @CommandLine.Option(names = "--store-dir", paramLabel = "DIR",
            description = "keep the client's state in the file store there (default: in memory)")
    private String storeDir;

    @CommandLine.Option(names = "--sender", paramLabel = "ID", description = "the sender id relays show")
    private String sender;

    /** Creates the options, all unset; picocli fills them. */
    public ClientOptions() {
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
     * @param options     the parsed options
     * @param scheduler   the scheduler the client runs on
     * @param out         where events are printed
     * @param err         where errors are printed
     * @param beforeStart called with the client before {@code start()}, e.g. to add listeners
     * @return the started client, or the exit code to return: 2 for a configuration the
     *         providers refuse, 1 when the client could not start
     */
    public static Result<Started> start(String command, ClientOptions options, Scheduler scheduler, PrintStream out,
                                        PrintStream err, Consumer<RelayManager> beforeStart) {
        Result<RelayManager> created = options.config().flatMap(c -> RelayManager.create(c, ProviderRegistry.load(), scheduler));
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
     * @return the configuration, or an error naming the bad option or field
     */
    public Result<RelayConfig> config() {
        RelayConfig.Builder b;
        if (configFile != null) {
            Result<RelayConfig> loaded = RelayConfigs.load(configFile);
            if (loaded instanceof Result.Err<RelayConfig> e) {
                return Result.err(e.error());
            }
            b = RelayConfig.from(loaded.orElseThrow());
        } else {
            b = RelayConfig.custom().store(ProviderChoice.of("memory"));
            if (relays == null) {
                return Result.err(io.solconnect.relay.api.ErrorCode.INVALID_CONFIG, "--relays or --config is required");
            }
        }
        try {
            if (relays != null) {
                List<RelayEndpoint> list = new ArrayList<>();
                for (String url : relays.split(",")) {
                    if (!url.isBlank()) {
                        list.add(RelayEndpoint.of(url.strip()));
                    }
                }
                b.relays(list);
            }
            if (strategy != null) {
                RelayConfig current = b.build();
                LoadBalancingStrategy s = current.selection().strategy().withAlgorithm(strategy);
                b.selectionStrategy(s);
            }
            if (protocol != null) {
                b.protocol(protocol);
            }
            if (sender != null) {
                b.sender(sender);
            }
            if (storeDir != null) {
                b.store(ProviderChoice.of("file", Map.of("directory", storeDir)));
            }
            return Result.ok(b.build());
        } catch (IllegalArgumentException e) {
            return Result.err(RelayError.of(ErrorCode.INVALID_CONFIG, e.getMessage()));
        }
    }
}
