package io.solconnect.relay.examples.readme;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayConfigs;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.server.RelayServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Using it" snippet, compiled and run against a real relay on loopback. The code
 * between the markers below must appear verbatim (less its indentation) in README.md, so the
 * README cannot drift from code that compiles and works.
 */
class ReadmeSnippetTest {

    @TempDir
    Path dir;

    @SuppressWarnings("try")
    static void snippet(Path configFile) {
        // README:begin
        RelayConfig config = RelayConfigs.load(configFile).orElseThrow();   // e.g. Path.of("relay.json"), or RelayConfig.custom()...
        try (Schedulers.CloseableScheduler scheduler = Schedulers.system();
             RelayManager client = RelayManager.create(config, ProviderRegistry.load(), scheduler).orElseThrow()) {
            client.onMessage(m -> System.out.println(m.room() + " " + m.sender() + ": " + m.payload()));
            client.subscribe(RelayEvent.Failover.class, f -> System.out.println("moved to " + f.to() + " in " + f.duration()));
            client.join("room-42");
            client.start().orElseThrow();                                 // RelayException (with its ErrorCode) on failure
            client.awaitConnected(Duration.ofSeconds(10)).orElseThrow();  // or connected(timeout): a CompletionStage
            Result<Delivery> sent = client.send("room-42", "hello").toCompletableFuture().join();  // never an exception
            System.out.println(sent);                                     // Ok[...] once a relay acknowledged it
        }
        // README:end
    }

    @Test
    void theReadmeSnippetIsThisCodeAndItSendsThroughARelay() throws Exception {
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/solconnect/relay/examples/readme/ReadmeSnippetTest.java"));
        int begin = source.indexOf("        // README:begin");
        int end = source.indexOf("        // README:end");
        assertTrue(begin > 0 && end > begin, "markers not found");
        String block = source.subList(begin + 1, end).stream().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n", "", "\n"));
        String readme = Files.readString(Path.of("../../README.md"));
        assertTrue(readme.contains("```java\n" + block + "```"), "README.md must hold this snippet verbatim:\n" + block);

        try (RelayServer relay = RelayServer.start()) {
            Path config = dir.resolve("relay.json");
            Files.writeString(config, """
                    {"relays": ["%s"],
                     "plugins": {"store": {"name": "file", "settings": {"directory": "%s"}}}}
                    """.formatted(relay.uri(), dir.resolve("store")));
            PrintStream before = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                snippet(config);
            } finally {
                System.setOut(before);
            }
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("Ok[value=Delivery["), printed);
            assertTrue(printed.contains("confirmed=true"), printed);
        }
    }
}
