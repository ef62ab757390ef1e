package io.solconnect.relay.examples.bench.balancers;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulation is deterministic, sticky rooms stay whole, and bad arguments are refused. */
class BalancersBenchTest {

    private static final List<String> SMALL = List.of("--clients", "300", "--seconds", "40", "--warmup", "10",
            "--scenario", "largest-crashes");

    private static String[] run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new BalancersBench().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void sameSeedSameTable() {
        String[] first = run(SMALL);
        String[] second = run(SMALL);
        assertEquals("0", first[0], first[2]);
        assertEquals(first[1], second[1]);
        assertTrue(first[1].lines().anyMatch(l -> l.startsWith("largest-crashes") && l.contains("p2c-ewma ")),
                first[1]);
        List<String> withSeed = new java.util.ArrayList<>(SMALL);
        withSeed.addAll(List.of("--seed", "2"));
        assertTrue(!run(withSeed)[1].equals(first[1]), "another seed, other figures");
    }

    @Test
    void stickyRoomsAreNeverSplitWhileNonStickyOnesAre() {
        String out = run(List.of("--clients", "300", "--seconds", "40", "--warmup", "10", "--scenario", "steady"))[1];
        String sticky = out.lines().filter(l -> l.contains("p2c-ewma+sticky")).findFirst().orElseThrow();
        assertTrue(sticky.contains(" 0% "), sticky);
        String plain = out.lines().filter(l -> l.contains("round-robin")).findFirst().orElseThrow();
        assertTrue(!plain.contains(" 0% "), plain);
    }

    @Test
    void hostileArgumentsAreRefused() {
        for (List<String> bad : List.of(List.of("--clients"), List.of("--clients", "lots"), List.of("--clients", "1"),
                List.of("--seconds", "NaN"), List.of("--warmup", "500"), List.of("--bogus", "1"),
                List.of("--scenario", "nope"), List.of("stray"))) {
            String[] r = run(bad);
            assertEquals("2", r[0], bad + " -> " + r[2]);
            assertTrue(r[2].startsWith("relay bench balancers:"), r[2]);
        }
    }
}
