package org.execnet4j.serializer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.execnet4j.api.PyComplex;
import org.execnet4j.api.PyFrozenSet;
import org.execnet4j.api.PyTuple;

/** Reads the golden files in the repository's vectors/ folder and turns their type tags into Java values. */
final class Vectors {
    /** A stand-in channel for the {@code channel{id}} tag. */
    record TestChannel(int id) {
    }

    /** Channel refs that encode {@link TestChannel}s and resolve ids to them. */
    static final ChannelRefs TEST_CHANNELS = new ChannelRefs() {
        @Override
        public int idOf(Object value) {
            return value instanceof TestChannel c ? c.id() : NOT_A_CHANNEL;
        }

        @Override
        public Object resolve(int id) {
            return new TestChannel(id);
        }
    };

    private Vectors() {
    }

    static JsonNode load(String name) {
        Path dir = Path.of(System.getProperty("execnet4j.vectors.dir", "../../vectors"));
        try {
            return new ObjectMapper().readTree(Files.readString(dir.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden vectors " + dir.resolve(name), e);
        }
    }

    /** Every input of serializer.json and serializer_invalid.json: the fuzzers' seeds. */
    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        JsonNode golden = load("serializer.json");
        golden.get("vectors").forEach(v -> seeds.add(hex(v.get("dumps_hex").asText())));
        golden.get("decode_only_vectors").forEach(v -> seeds.add(hex(v.get("hex").asText())));
        load("serializer_invalid.json").get("vectors").forEach(v -> seeds.add(hex(v.get("hex").asText())));
        return seeds;
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** The Java value a type tag of serializer.json stands for. */
    static Object value(JsonNode tag) {
        return switch (tag.get("type").asText()) {
            case "none" -> null;
            case "bool" -> tag.get("value").asBoolean();
            case "int" -> narrow(new BigInteger(tag.get("value").asText()));
            case "float" -> Double.longBitsToDouble(Long.parseUnsignedLong(tag.get("bits").asText(), 16));
            case "complex" -> new PyComplex((Double) value(tag.get("real")), (Double) value(tag.get("imag")));
            case "bytes" -> hex(tag.get("hex").asText());
            case "str" -> tag.get("value").asText();
            case "list" -> new ArrayList<>(items(tag));
            case "tuple" -> PyTuple.copyOf(items(tag));
            case "set" -> new LinkedHashSet<>(items(tag));
            case "frozenset" -> PyFrozenSet.copyOf(items(tag));
            case "channel" -> new TestChannel(tag.get("id").asInt());
            case "dict" -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode pair : tag.get("items")) {
                    map.put(value(pair.get(0)), value(pair.get(1)));
                }
                yield map;
            }
            default -> throw new IllegalArgumentException("unknown type tag " + tag);
        };
    }

    private static List<Object> items(JsonNode tag) {
        List<Object> out = new ArrayList<>();
        tag.get("items").forEach(item -> out.add(value(item)));
        return out;
    }

    private static Object narrow(BigInteger v) {
        if (v.bitLength() < 32) {
            return v.intValue();
        }
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /**
     * Asserts that two decoded values are the same Python value: same Java classes (a tuple is
     * not a list), same float bits, byte arrays by content, sets and dicts regardless of order.
     */
    static void assertPyEquals(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
            return;
        }
        assertEquals(kind(expected), kind(actual), "type at " + where);
        if (expected instanceof byte[] e) {
            assertArrayEquals(e, (byte[]) actual, where);
        } else if (expected instanceof Double e) {
            assertEquals(Double.doubleToRawLongBits(e), Double.doubleToRawLongBits((Double) actual), where);
        } else if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), "size at " + where);
            for (int i = 0; i < e.size(); i++) {
                assertPyEquals(e.get(i), a.get(i), where + "[" + i + "]");
            }
        } else if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(e.keySet(), a.keySet(), "keys at " + where);
            for (Object k : e.keySet()) {
                assertPyEquals(e.get(k), a.get(k), where + "[" + k + "]");
            }
        } else if (expected instanceof Set<?> e) {
            assertEquals(e, actual, where);
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static String kind(Object v) {
        if (v instanceof PyTuple) {
            return "tuple";
        }
        if (v instanceof PyFrozenSet) {
            return "frozenset";
        }
        if (v instanceof List<?>) {
            return "list";
        }
        if (v instanceof Set<?>) {
            return "set";
        }
        if (v instanceof Map<?, ?>) {
            return "dict";
        }
        return v.getClass().getName();
    }
}
