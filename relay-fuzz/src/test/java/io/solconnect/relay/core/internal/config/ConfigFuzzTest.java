package io.solconnect.relay.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the one JSON form of the configuration ({@link ConfigJson}, {@link ConfigReader},
 * {@link LegacyKeys}): config file text and settings patches. The contract: a configuration or an
 * {@link ErrorCode#INVALID_CONFIG} error with a message, never an exception; and what was accepted
 * is written back ({@link ConfigJson#toJson}) to JSON that reads back to an equal configuration.
 */
class ConfigFuzzTest {

    private static final RelayConfig BASE = ConfigJson.parse(
            "{\"relays\": [\"wss://a.example.org/ws\", {\"url\": \"wss://b.example.org/\", \"region\": \"eu-west\"}]}")
            .orElseThrow();

    /** Any UTF-8 text as a config file. */
    @FuzzTest
    @DictionaryEntries({"\"relays\"", "\"url\"", "\"region\"", "\"priority\"", "\"maxConnections\"", "\"weight\"", "\"tags\"", "\"sender\"", "\"selection\"", "\"strategy\"", "\"algorithm\"", "\"stickySession\"", "\"healthWeight\"", "\"weights\"", "\"settings\"", "\"failoverThreshold\"", "\"healthCheckInterval\"", "\"liveness\"", "\"pingInterval\"", "\"pingTimeout\"", "\"connectTimeout\"", "\"failover\"", "\"standbyCount\"", "\"maxRetries\"", "\"backoffInitial\"", "\"backoffMax\"", "\"stablePeriod\"", "\"ejectionTime\"", "\"outbox\"", "\"maxMessages\"", "\"maxBytes\"", "\"maxMessageBytes\"", "\"dedup\"", "\"window\"", "\"maxEntries\"", "\"security\"", "\"allowedSchemes\"", "\"allowPrivateAddresses\"", "\"plugins\"", "\"discovery\"", "\"protocol\"", "\"transport\"", "\"store\"", "\"healthScorer\"", "\"name\"", "\"static\"", "\"dns\"", "\"file\"", "\"memory\"", "\"wss://a.example.org/\"", "\"ws\"", "\"wss\"", "\"250ms\"", "\"2s\"", "\"5m\"", "\"PT0.25S\""})
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Result<RelayConfig> parsed = ConfigJson.parse(text);
        checkResult(parsed);
        parsed.toOptional().ifPresent(ConfigFuzzTest::checkRoundTrip);
    }

    /** Any UTF-8 text as a settings patch to a two-relay configuration. */
    @FuzzTest
    @DictionaryEntries({"\"relays\"", "\"url\"", "\"region\"", "\"priority\"", "\"maxConnections\"", "\"weight\"", "\"tags\"", "\"sender\"", "\"selection\"", "\"strategy\"", "\"algorithm\"", "\"stickySession\"", "\"healthWeight\"", "\"weights\"", "\"settings\"", "\"failoverThreshold\"", "\"healthCheckInterval\"", "\"liveness\"", "\"pingInterval\"", "\"pingTimeout\"", "\"connectTimeout\"", "\"failover\"", "\"standbyCount\"", "\"maxRetries\"", "\"backoffInitial\"", "\"backoffMax\"", "\"stablePeriod\"", "\"ejectionTime\"", "\"outbox\"", "\"maxMessages\"", "\"maxBytes\"", "\"maxMessageBytes\"", "\"dedup\"", "\"window\"", "\"maxEntries\"", "\"security\"", "\"allowedSchemes\"", "\"allowPrivateAddresses\"", "\"plugins\"", "\"discovery\"", "\"protocol\"", "\"transport\"", "\"store\"", "\"healthScorer\"", "\"name\"", "\"static\"", "\"dns\"", "\"file\"", "\"memory\"", "\"wss://a.example.org/\"", "\"ws\"", "\"wss\"", "\"250ms\"", "\"2s\"", "\"5m\"", "\"PT0.25S\""})
    void merge(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Result<RelayConfig> merged = ConfigJson.merge(BASE, text);
        checkResult(merged);
        merged.toOptional().ifPresent(ConfigFuzzTest::checkRoundTrip);
    }

    private static void checkResult(Result<RelayConfig> r) {
        assertNotNull(r);
        if (r.failure().isPresent()) {
            RelayError e = r.failure().get();
            assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e::message);
            assertFalse(e.message().isBlank());
        }
    }

    private static void checkRoundTrip(RelayConfig c) {
        String json = ConfigJson.toJson(c);
        Result<RelayConfig> back = ConfigJson.parse(json);
        assertEquals(Result.ok(c), back, () -> "written config does not read back:\n" + json);
    }
}
