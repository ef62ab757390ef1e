package io.solconnect.relay.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.RelayConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The JSON mapping stays in step with the records: an option added to a record must be mapped. */
class MappingCoverageTest {

    private static Set<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyRecordComponentIsReadAndWritten() {
        RelayConfig c = RelayConfig.custom().addRelay("wss://a.example.org/").build();
        ObjectNode tree = ConfigJson.toTree(c);
        assertEquals(components(RelayConfig.class), names(tree));
        assertEquals(components(RelayConfig.class), ConfigReader.topKeys());
        for (RecordComponent group : RelayConfig.class.getRecordComponents()) {
            if (!group.getType().isRecord()) {
                continue;
            }
            Set<String> expected = components(group.getType());
            assertEquals(expected, ConfigReader.GROUPS.get(group.getName()).keySet().stream()
                    .collect(Collectors.toCollection(TreeSet::new)), "reader keys of " + group.getName());
            assertEquals(expected, names(tree.get(group.getName())),
                    "written keys of " + group.getName());
        }
    }

    @Test
    void everyOptionRoundTripsWithANonDefaultValue() {
        // options newer than the flat file format get their non-default value here
        RelayConfig custom = RelayConfig.from(ConfigJson.parse(LegacyConfigFileTest.OLD_FILE).orElseThrow())
                .maxResumeBytes(1024 * 1024).idlePingInterval(Duration.ofSeconds(3)).build();
        RelayConfig defaults = RelayConfig.custom().addRelay("wss://a.example.org/").build();
        JsonNode a = ConfigJson.toTree(custom);
        JsonNode b = ConfigJson.toTree(defaults);
        for (String group : ConfigReader.GROUPS.keySet()) {
            for (String key : ConfigReader.GROUPS.get(group).keySet()) {
                if (!List.of("protocol", "transport", "healthScorer").contains(key)) {
                    assertNotEquals(b.get(group).get(key), a.get(group).get(key),
                            group + "." + key + " keeps its default in the test file, so its mapping is untested");
                }
            }
        }
        assertEquals(custom, ConfigJson.parse(ConfigJson.toJson(custom)).orElseThrow());
        RelayConfig fine = RelayConfig.from(custom).pingInterval(Duration.ofNanos(10_500_000)).build();
        assertEquals(fine, ConfigJson.parse(ConfigJson.toJson(fine)).orElseThrow());
    }

    private static Set<String> names(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
