package com.example.consumer;

import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.ProviderInfo;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one message through a relay and receives it: two clients of one room, a receiver and a
 * sender, both with the default plugins found through {@link ProviderRegistry#load()} (which must
 * also find the {@code bootstrap} discovery beside {@code static}).
 * Usage: {@code ConsumerApp <relay ws:// URL> <label>}. Prints
 * {@code consumer <label> received <payload> (module <name>|class path)} and exits 0, or prints
 * what failed and exits 1.
 */
public final class ConsumerApp {

    private ConsumerApp() {
    }

    /**
     * Runs the round trip.
     *
     * @param args the relay URL and a label for the output
     * @throws Exception when interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ConsumerApp <relay ws:// URL> <label>");
            System.exit(2);
        }
        System.exit(roundTrip(args[0], args[1]));
    }

    private static int roundTrip(String relay, String label) throws Exception {
        String room = "consumer-" + label;
        String payload = "hello from the " + label + " consumer";
        // The defaults, but an in-memory store: this run leaves nothing in the user's home.
        RelayConfig config = RelayConfig.custom().addRelay(relay).store(ProviderChoice.of("memory")).build();
        ProviderRegistry registry = ProviderRegistry.load();
        registry.problems().forEach(p -> System.err.println("consumer: provider problem: " + p));
        // relay-core and relay-discovery-bootstrap both provide DiscoveryProvider: both must be found
        // (in a shaded jar only when their META-INF/services files were merged).
        for (String expected : List.of("discovery static", "discovery bootstrap", "balancer p2c-ewma", "transport tyrus")) {
            if (registry.providers().stream().noneMatch(p -> p.line().startsWith(expected + " "))) {
                System.err.println("consumer " + label + ": provider not found: " + expected + "; found: "
                        + registry.providers().stream().map(ProviderInfo::line).toList());
                return 1;
            }
        }
        try (Schedulers.CloseableScheduler scheduler = Schedulers.system();
             RelayManager receiver = RelayManager.create(config, registry, scheduler).orElseThrow();
             RelayManager sender = RelayManager.create(config, registry, scheduler).orElseThrow()) {
            CompletableFuture<String> received = new CompletableFuture<>();
            receiver.onMessage(m -> received.complete(m.payload()));
            CompletableFuture<RelayEvent.Connected> receiverUp = new CompletableFuture<>();
            receiver.subscribe(RelayEvent.Connected.class, receiverUp::complete);
            receiver.join(room);
            receiver.start().orElseThrow();
            receiverUp.get(30, TimeUnit.SECONDS);
            sender.join(room);
            sender.start().orElseThrow();
            Result<?> delivery = sender.send(room, payload).toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (!delivery.isOk()) {
                System.err.println("consumer " + label + ": send failed: " + delivery);
                return 1;
            }
            String got = received.get(30, TimeUnit.SECONDS);
            Module module = ConsumerApp.class.getModule();
            System.out.println("consumer " + label + " received " + got + " ("
                    + (module.isNamed() ? "module " + module.getName() : "class path") + ")");
            return got.equals(payload) ? 0 : 1;
        }
    }
}
