package io.solconnect.relay.discovery.bootstrap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.Untrusted;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a bootstrap document with Jackson's streaming parser into a {@link io.solconnect.relay.api.spi.DiscoveredRelays}, one
 * entry at a time, under hard limits: nesting depth, string, number and name lengths, and token
 * count. A document that is not an object with a {@code relays} array fails as a whole; an entry
 * with a wrong type, an unknown or repeated key, or an unacceptable URL is refused on its own.
 * Stateless and thread-safe (the factory is immutable).
 */
final class RelayListParser {

    static final int MAX_DEPTH = 16;
    static final int MAX_STRING = 8192;

    private static final Pattern USERINFO = Pattern.compile("//[^/?#]*@");

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING)
                    .maxNumberLength(20)
                    .maxNameLength(256)
                    .maxTokenCount(10_000_000)
                    .build())
            .build();

    private RelayListParser() {
    }

    /**
     * Parses a whole document.
     *
     * @param body  the body bytes (UTF-8, UTF-16 or UTF-32 JSON)
     * @param found where well-formed and refused entries go
     * @return empty when the document's shape was right (the entries may still all be refused), or
     *         the {@code BAD_INPUT} error that makes the whole document unusable
     */
    static Optional<RelayError> parse(byte[] body, Candidates found) {
        if (body.length == 0) {
            return bad("empty body, expected a JSON object {\"relays\": [...]}");
        }
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return bad("the body holds no JSON value, expected {\"relays\": [...]}");
            }
            if (t != JsonToken.START_OBJECT) {
                return bad("the top level must be an object {\"relays\": [...]}, was " + describe(t));
            }
            Set<String> keys = new HashSet<>();
            boolean sawRelays = false;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!keys.add(name)) {
                    return bad("duplicate key '" + Untrusted.printable(name) + "' at the top level");
                }
                t = p.nextToken();
                if (name.equals("relays")) {
                    if (t != JsonToken.START_ARRAY) {
                        return bad("'relays' must be an array, was " + describe(t));
                    }
                    sawRelays = true;
                    entries(p, found);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                return bad("unexpected content after the top-level object");
            }
            if (!sawRelays) {
                return bad("the object has no 'relays' array");
            }
            return Optional.empty();
        } catch (StreamConstraintsException e) {
            return bad("the JSON exceeds a parser limit (nesting depth " + MAX_DEPTH + ", strings of " + MAX_STRING
                    + " characters, numbers of 20 digits): " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            return bad("the body is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            return bad("the body could not be read as JSON: " + e.getMessage());
        }
    }

    private static void entries(JsonParser p, Candidates found) throws IOException {
        int index = 0;
        int skipped = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String where = "relays[" + index++ + "]";
            if (found.full()) {
                // Over the cap: count the rest without building or validating them.
                p.skipChildren();
                skipped++;
                continue;
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                found.reject(where, ErrorCode.BAD_INPUT, "an entry must be an object, was " + describe(t));
                continue;
            }
            entry(p, where, found);
        }
        found.skippedOverCap(skipped);
    }

    /** Reads one entry object to its end, then accepts or refuses it. */
    private static void entry(JsonParser p, String where, Candidates found) throws IOException {
        Set<String> keys = new HashSet<>();
        String problem = null;
        String url = null;
        String region = "";
        Integer priority = null;
        Integer maxConnections = null;
        Integer weight = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (problem == null && !keys.add(name)) {
                problem = "duplicate key '" + name + "'";
            }
            switch (name) {
                case "url", "region" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        problem = problem != null ? problem : "'" + name + "' must be a string, was " + describe(v);
                    } else if (name.equals("url")) {
                        url = url == null ? p.getText() : url;
                    } else {
                        region = p.getText();
                    }
                }
                case "priority", "maxConnections", "weight" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                        problem = problem != null ? problem : "'" + name + "' must be an integer, was "
                                + (v == JsonToken.VALUE_NUMBER_INT ? "an integer out of range" : describe(v));
                    } else if (name.equals("priority")) {
                        priority = p.getIntValue();
                    } else if (name.equals("maxConnections")) {
                        maxConnections = p.getIntValue();
                    } else {
                        weight = p.getIntValue();
                    }
                }
                default -> problem = problem != null ? problem : "unknown key '" + name + "'";
            }
            p.skipChildren();
        }
        if (problem == null && url == null) {
            problem = "'url' is missing";
        }
        if (url != null) {
            // Never echo credentials into events and logs.
            where = where + " (" + USERINFO.matcher(url).replaceFirst("//***@") + ")";
        }
        if (problem != null) {
            found.reject(where, ErrorCode.BAD_INPUT, problem);
            return;
        }
        RelayEndpoint relay;
        try {
            RelayEndpoint.Builder b = RelayEndpoint.builder(url).region(region);
            if (priority != null) {
                b.priority(priority);
            }
            if (weight != null) {
                b.weight(weight);
            }
            if (maxConnections != null) {
                if (maxConnections > DiscoveryResult.MAX_CONNECTIONS) {
                    throw new IllegalArgumentException("maxConnections must be at most "
                            + DiscoveryResult.MAX_CONNECTIONS + ", was " + maxConnections);
                }
                b.maxConnections(maxConnections);
            }
            relay = b.build();
        } catch (IllegalArgumentException e) {
            found.reject(where, ErrorCode.BAD_INPUT, e.getMessage());
            return;
        }
        found.offer(where, relay);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a number";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static Optional<RelayError> bad(String message) {
        return Optional.of(new RelayError(ErrorCode.BAD_INPUT, message));
    }
}
