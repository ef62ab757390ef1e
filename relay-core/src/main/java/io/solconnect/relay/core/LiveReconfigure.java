package io.solconnect.relay.core;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.core.internal.config.LiveSettings;
import io.solconnect.relay.core.internal.discovery.StaticDiscoveryProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a new configuration to a running client ({@link RelayManager#reconfigure}): refuses
 * restart-only changes, creates a new balancer when the strategy or region changes (only for a
 * client built from the registry), hands a new relay list to the {@code static} source, retunes
 * the engine and saves the configuration through the store. Owns the configuration in force and
 * the balancer in use.
 *
 * <p>Thread-safe: {@link #apply} is serialised; {@link #current()} may be read from any thread.
 */
final class LiveReconfigure {

    private final ClientParts parts;
    /** Present for a client built by {@link RelayManager#create}: creates a new balancer on reconfiguration. */
    private final Optional<ProviderRegistry> registry;
    /** Given to balancers created at run time, as given to the builder. */
    private final Scheduler scheduler;
    private LoadBalancer balancer;
    private volatile RelayConfig current;

    LiveReconfigure(ClientParts parts, LoadBalancer balancer, Optional<ProviderRegistry> registry, Scheduler scheduler) {
        this.parts = parts;
        this.balancer = balancer;
        this.registry = registry;
        this.scheduler = scheduler;
        this.current = parts.config();
    }

    /** The configuration in force: the one built with, then the last one applied. */
    RelayConfig current() {
        return current;
    }

    /** See {@link RelayManager#reconfigure}. */
    synchronized Result<Result.Done> apply(RelayConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        RelayConfig before = current;
        List<String> fixedFields = LiveSettings.restartOnlyChanges(before, newConfig);
        if (!fixedFields.isEmpty()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "cannot change while the client runs: "
                    + String.join(", ", fixedFields) + "; restart the client to apply them");
        }
        LoadBalancer newBalancer = null;
        boolean strategyChanged = !newConfig.selection().strategy().equals(before.selection().strategy())
                || !newConfig.selection().region().equals(before.selection().region());
        if (strategyChanged) {
            if (registry.isEmpty()) {
                return Result.err(ErrorCode.INVALID_CONFIG, "selectionStrategy and region can change at run time only "
                        + "for a client built by RelayManager.create(...)");
            }
            Result<LoadBalancer> made = RegistryAssembly.balancer(registry.get(), newConfig, parts.guard(), scheduler, parts.events()::publish);
            if (!made.isOk()) {
                return Result.err(made.failure().orElseThrow());
            }
            newBalancer = made.orElseThrow();
        }
        if (!newConfig.relays().equals(before.relays())) {
            List<String> refused = new ArrayList<>();
            for (RelayEndpoint r : newConfig.relays()) {
                parts.guard().runTimeRefusal(r).ifPresent(refused::add);
            }
            if (!refused.isEmpty()) {
                return Result.err(ErrorCode.FORBIDDEN, "relays refused by the address policy (only relays in the "
                        + "configuration file are trusted with loopback and private addresses): "
                        + String.join("; ", refused));
            }
            Result<Result.Done> relays = replaceRelays(newConfig);
            if (!relays.isOk()) {
                return relays;
            }
        }
        parts.engine().retune(newConfig, newBalancer != null ? newBalancer : balancer);
        if (newBalancer != null) {
            balancer = newBalancer;
        }
        current = newConfig;
        return parts.store().saveConfig(newConfig);
    }

    /** The one relay replacement path: the {@code static} source takes the new list and is read at once. */
    private Result<Result.Done> replaceRelays(RelayConfig newConfig) {
        if (parts.staticSource().isEmpty()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "this client takes its relays from discovery sources; "
                    + "change them there");
        }
        parts.staticSource().get().replace(newConfig.relays());
        parts.pool().refreshNow(StaticDiscoveryProvider.NAME);
        return Result.ok();
    }
}
