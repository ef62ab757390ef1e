package io.solconnect.relay.api;

import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.PluginContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTest {

    @Test
    void okAndErr() {
        Result<Integer> ok = Result.ok(2);
        Result<Integer> err = Result.err(ErrorCode.TIMEOUT, "too slow");
        assertTrue(ok.isOk());
        assertFalse(err.isOk());
        assertEquals(Optional.of(4), ok.map(v -> v * 2).toOptional());
        assertEquals(Optional.empty(), err.map(v -> v * 2).toOptional());
        assertEquals(ErrorCode.TIMEOUT, err.flatMap(v -> Result.ok(v + 1)).failure().orElseThrow().code());
        assertEquals("timeout: too slow", err.failure().orElseThrow().toString());
        RelayException e = assertThrows(RelayException.class, err::orElseThrow);
        assertTrue(e.getMessage().contains("too slow"));
        assertEquals(ErrorCode.TIMEOUT, e.code());
        assertEquals(err.failure().orElseThrow(), e.error());
        assertThrows(NullPointerException.class, () -> Result.ok(null));
        assertThrows(IllegalArgumentException.class, () -> RelayError.of(ErrorCode.IO, " "));
    }

    @Test
    void closeCodesAreClassified() {
        assertEquals(CloseInfo.Kind.TRANSIENT, CloseInfo.fromPeer(1006, "").kind());
        assertEquals(CloseInfo.Kind.TRANSIENT, CloseInfo.fromPeer(1001, "").kind());
        assertEquals(CloseInfo.Kind.TRANSIENT, CloseInfo.fromPeer(1011, "").kind());
        assertEquals(CloseInfo.Kind.TERMINAL, CloseInfo.fromPeer(1008, "").kind());
        assertEquals(CloseInfo.Kind.TERMINAL, CloseInfo.fromPeer(4001, "").kind());
    }

    @Test
    void durationsParse() {
        assertEquals(Optional.of(Duration.ofMillis(250)), PluginContext.parseDuration("250ms"));
        assertEquals(Optional.of(Duration.ofSeconds(2)), PluginContext.parseDuration(" 2s "));
        assertEquals(Optional.of(Duration.ofMinutes(5)), PluginContext.parseDuration("5m"));
        assertEquals(Optional.of(Duration.ofMillis(1500)), PluginContext.parseDuration("PT1.5S"));
        assertEquals(Optional.empty(), PluginContext.parseDuration("soon"));
        assertEquals(Optional.empty(), PluginContext.parseDuration("99999999999999999999s"));
    }

    @Test
    void roomsAndUtf8() {
        assertEquals(3, Rooms.utf8Length("abc"));
        assertEquals(2, Rooms.utf8Length("é"));
        assertEquals(4, Rooms.utf8Length("😀"));
        assertThrows(IllegalArgumentException.class, () -> Rooms.check(""));
        assertThrows(IllegalArgumentException.class, () -> Rooms.check("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> Rooms.check("x".repeat(257)));
    }
}
