package io.solconnect.relay.examples.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayServerCommandTest {

    private record Run(int code, String out, String err) { }

    private static Run run(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RelayServerCommand cmd = new RelayServerCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int code = cmd.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() throws Exception {
        Run missing = run("");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--port is required"), missing.err());
        Run unknown = run("", "--port", "0", "--colour", "red");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("relay relay-server: Unknown options: '--colour', 'red'"), unknown.err());
        Run badPort = run("", "--port", "70000");
        assertEquals(2, badPort.code());
        assertTrue(badPort.err().contains("port must be in 0..65535"), badPort.err());
        Run noValue = run("", "--port");
        assertEquals(2, noValue.code());
        Run zeroRate = run("", "--port", "0", "--frames-per-second", "0");
        assertEquals(2, zeroRate.code());
        assertTrue(zeroRate.err().contains("framesPerSecond must be positive, was 0"), zeroRate.err());
        Run tinyQueue = run("", "--port", "0", "--max-queued-bytes", "1000");
        assertTrue(tinyQueue.err().contains("maxQueuedBytes must be at least 64 KiB, was 1000"), tinyQueue.err());
        Run notNumber = run("", "--port", "eighty");
        assertEquals(2, notNumber.code());
        assertTrue(notNumber.err().contains("'eighty' is not an int"), notNumber.err());
    }

    @Test
    void aBadBackplaneExitsWithTwoAndAnUnreachableOneWithOne() throws Exception {
        Run scheme = run("", "--port", "0", "--backplane", "http://127.0.0.1:4222");
        assertEquals(2, scheme.code());
        assertTrue(scheme.err().contains("a NATS server must be nats://HOST:PORT, was http://127.0.0.1:4222"), scheme.err());
        Run replicas = run("", "--port", "0", "--backplane", "nats://127.0.0.1:4222", "--backplane-replicas", "0");
        assertEquals(2, replicas.code());
        assertTrue(replicas.err().contains("replicas must be 1..5, was 0"), replicas.err());
        // nothing listens on the port just freed: the relay refuses to start rather than run unshared
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Run unreachable = run("quit\n", "--port", "0", "--backplane", "nats://127.0.0.1:" + closed);
        assertEquals(1, unreachable.code(), unreachable.err());
        assertTrue(unreachable.err().contains("cannot start: cannot reach NATS at [nats://127.0.0.1:" + closed + "]"),
                unreachable.err());
    }

    @Test
    void helpGoesToStandardOutputAndStartsNothing() throws Exception {
        Run help = run("", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Usage: ./relay relay-server"), help.out());
        assertTrue(help.out().contains("--max-frame-bytes=N"), help.out());
        assertTrue(!help.out().contains("listening"), help.out());
        assertEquals("", help.err());
    }

    @Test
    void faultCommandsFromStandardInput() throws Exception {
        Run r = run("status\nslow 50ms\nslow soon\nblackhole\nheal\nkill\nrestart\nfly\nshutdown\nquit\n", "--port", "0",
                "--max-rooms", "10", "--rooms-per-connection", "5", "--frames-per-second", "100", "--max-queued-bytes",
                "1048576", "--devices-per-room", "7", "--resends-per-second", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("relay-server listening on ws://127.0.0.1:"), r.out());
        assertTrue(r.out().contains("ok slow running=true"), r.out());
        assertTrue(r.out().contains("ok kill running=false"), r.out());
        assertTrue(r.out().contains("ok restart running=true"), r.out());
        assertTrue(r.out().contains("ok shutdown running=false"), r.out());
        assertTrue(r.err().contains("slow failed"), r.err());
        assertTrue(r.err().contains("unknown command 'fly'"), r.err());
    }
}
