package io.solconnect.relay.discovery.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Fuzzes the relay metadata read from TXT records ({@link TxtMetadata}) with any TXT record data
 * as a hostile DNS server could send it (the fuzzer's bytes are the records' wire-format rdata).
 * The contract: metadata or a {@link ErrorCode#BAD_INPUT} error, never an exception; accepted
 * metadata makes a relay URL the way {@link DnsDiscovery} does without surprise; and metadata
 * written back as {@code key=value} strings reads back equal.
 */
class TxtMetadataFuzzTest {

    private static final Name TARGET = Name.fromConstantString("relay-1.example.org.");

    /** One to three TXT records, each from a slice of the input. */
    @FuzzTest
    @DictionaryEntries({"region=", "maxConnections=", "scheme=", "path=/", "wss", "ws"})
    void parse(FuzzedDataProvider data) {
        int count = data.consumeInt(1, 3);
        List<TXTRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] rdata = i == count - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 600));
            // null when not TXT wire data: dnsjava refuses such a message before it reaches us
            TXTRecord txt = (TXTRecord) org.xbill.DNS.Record.newRecord(TARGET, Type.TXT, DClass.IN, 300, rdata);
            if (txt != null) {
                records.add(txt);
            }
        }
        Result<TxtMetadata> parsed = TxtMetadata.parse(records);
        assertNotNull(parsed);
        if (parsed.failure().isPresent()) {
            assertEquals(ErrorCode.BAD_INPUT, parsed.failure().get().code());
            assertFalse(parsed.failure().get().message().isBlank());
            return;
        }
        TxtMetadata meta = parsed.orElseThrow();
        // As DnsDiscovery builds the relay; an IllegalArgumentException there is refused with its message.
        try {
            RelayEndpoint.Builder b = RelayEndpoint.builder(meta.scheme() + "://relay-1.example.org:443" + meta.path())
                    .region(meta.region());
            meta.maxConnections().ifPresent(b::maxConnections);
            b.build();
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
        }
        List<String> strings = new ArrayList<>();
        strings.add("region=" + meta.region());
        strings.add("scheme=" + meta.scheme());
        strings.add("path=" + meta.path());
        meta.maxConnections().ifPresent(m -> strings.add("maxConnections=" + m));
        List<byte[]> raw = strings.stream().map(s -> s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toList();
        assertEquals(Result.ok(meta), TxtMetadata.parse(List.of(txt(raw))), "metadata does not read back");
    }

    /** A TXT record holding exactly these strings (built from wire data: no escape processing). */
    private static TXTRecord txt(List<byte[]> strings) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] s : strings) {
            out.write(s.length);
            out.writeBytes(s);
        }
        return (TXTRecord) org.xbill.DNS.Record.newRecord(TARGET, Type.TXT, DClass.IN, 300, out.toByteArray());
    }
}
