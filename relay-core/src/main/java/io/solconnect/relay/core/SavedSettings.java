package io.solconnect.relay.core;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.core.internal.config.LiveSettings;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The precedence of settings when a client is built: what the application gives (built in code or
 * loaded from a file) is overridden by what the status page saved in the store, for the live
 * options only ({@link LiveSettings#withSaved}). Saved settings that cannot be loaded or break a
 * rule are ignored with a warning: they never stop a client from being built. Stateless.
 */
final class SavedSettings {

    // logged under the manager's name, as operators have configured it
    private static final Logger log = LoggerFactory.getLogger(RelayManager.class);

    private SavedSettings() {
    }

    /**
     * The given configuration with the saved live settings applied over it.
     *
     * @param given         the application's configuration
     * @param store         the store to load the saved settings from (called on the caller's thread)
     * @param withSelection whether {@code selection} is taken from the saved settings too (only for
     *                      a client whose balancer is created from the configuration)
     * @return the merged configuration, or {@code given} when nothing usable was saved
     */
    static RelayConfig over(RelayConfig given, RelayStore store, boolean withSelection) {
        Result<Optional<RelayConfig>> saved;
        try {
            saved = store.loadConfig();
        } catch (RuntimeException e) {
            saved = Result.err(ErrorCode.PROVIDER_FAILED, "the store threw while loading the saved settings: " + e);
        }
        if (!saved.isOk()) {
            log.warn("saved settings not applied: {}", saved.failure().orElseThrow());
            return given;
        }
        Optional<RelayConfig> s = saved.orElseThrow();
        if (s.isEmpty()) {
            return given;
        }
        try {
            RelayConfig merged = LiveSettings.withSaved(given, s.get(), withSelection);
            if (!merged.equals(given)) {
                log.info("applied the settings saved from the status page (relays, {}liveness, failover) over the given "
                        + "configuration", withSelection ? "selection, " : "");
            }
            return merged;
        } catch (IllegalArgumentException e) {
            log.warn("saved settings not applied: {}", e.getMessage());
            return given;
        }
    }
}
