package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LivenessConfig;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayException;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@link RelayManager}s with the {@code file} store on one directory, and the precedence of
 * settings saved from the status page over the given configuration, with a real relay.
 */
class FileStoreE2ETest {

    @TempDir
    Path dir;

    private RelayConfig config(String relay) {
        // Relays set at run time (the settings page) are not the operator's: loopback ones need allowPrivateAddresses.
        return RelayConfig.custom().addRelay(relay).connectTimeout(Duration.ofSeconds(2)).allowPrivateAddresses(true)
                .store(ProviderChoice.of("file", Map.of("directory", dir.toString(), "fsync", "false", "lockWait", "100ms")))
                .build();
    }

    @Test
    void aSecondClientOnTheDirectoryGetsStoreLockedAndTheNextOneTheSavedSettings() throws Exception {
        try (Relays relays = new Relays(2);
             Schedulers.CloseableScheduler scheduler = Schedulers.system()) {
            String a = relays.get(0).uri().toString();
            String b = relays.get(1).uri().toString();
            RelayConfig given = config(a);
            RelayManager first = RelayManager.create(given, ProviderRegistry.load(), scheduler).orElseThrow();
            try {
                Result<RelayManager> second = RelayManager.create(given, ProviderRegistry.load(), scheduler);
                assertEquals(ErrorCode.STORE_LOCKED, second.failure().orElseThrow().code());
                RelayException thrown = assertThrows(RelayException.class, second::orElseThrow);
                assertTrue(thrown.getMessage().contains(dir.toString()), thrown.getMessage());

                assertTrue(first.start().isOk());
                assertTrue(first.awaitConnected(E2EClient.PATIENCE).isOk());
                // What the settings page does: a live change, saved through the store.
                LivenessConfig slower = new LivenessConfig(Duration.ofMillis(400), Duration.ofMillis(600), Duration.ofSeconds(3));
                assertTrue(first.reconfigure(RelayConfig.from(given).relays(List.of(RelayEndpoint.of(b)))
                        .liveness(slower).build()).isOk());
            } finally {
                first.stop();
            }

            // The given configuration still names relay a; the saved settings win for the live options.
            try (RelayManager third = RelayManager.create(given, ProviderRegistry.load(), scheduler).orElseThrow()) {
                assertEquals(List.of(RelayEndpoint.of(b)), third.config().relays());
                assertEquals(Duration.ofMillis(400), third.config().liveness().pingInterval());
                assertEquals(given.outbox(), third.config().outbox(), "restart-only options stay as given");
                assertTrue(third.start().isOk());
                assertTrue(third.awaitConnected(E2EClient.PATIENCE).isOk());
                assertEquals(b, third.status().primary().orElseThrow());
            }
        }
    }
}
