package org.execnet4j.serializer;

import static org.execnet4j.serializer.Vectors.assertPyEquals;
import static org.execnet4j.serializer.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;

import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.api.DumpException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every entry of vectors/serializer.json and serializer_invalid.json, read at test time. */
class GoldenVectorsTest {
    private static final JsonNode GOLDEN = Vectors.load("serializer.json");
    private static final JsonNode INVALID = Vectors.load("serializer_invalid.json");

    private static Stream<JsonNode> entries(JsonNode root, String field) {
        JsonNode list = root.get(field);
        assertTrue(list.size() > 0, field + " is empty");
        return StreamSupport.stream(list.spliterator(), false);
    }

    private static boolean hasChannel(JsonNode tag) {
        return tag.toString().contains("\"channel\"");
    }

    @TestFactory
    Stream<DynamicTest> valuesDumpToTheGoldenBytes() {
        assertEquals(GOLDEN.get("counts").get("vectors").asInt(), GOLDEN.get("vectors").size());
        return entries(GOLDEN, "vectors").map(v -> dynamicTest(v.get("description").asText(), () -> {
            Object value = Vectors.value(v.get("value"));
            byte[] golden = hex(v.get("dumps_hex").asText());
            byte[] wire = Arrays.copyOfRange(golden, 1, golden.length);
            assertArrayEquals(wire, WireFormat.encode(value, Vectors.TEST_CHANNELS, 0), "wire form");
            if (hasChannel(v.get("value"))) {
                assertThrows(DumpException.class, () -> Serializer.dumps(value), "channel without a gateway");
            } else {
                assertArrayEquals(golden, Serializer.dumps(value, DumpFormat.V1), "1.x dump form");
                byte[] v2 = Serializer.dumps(value);
                assertEquals(2, v2[0], "2.x version byte");
                assertArrayEquals(wire, Arrays.copyOfRange(v2, 1, v2.length), "2.x dump form");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> goldenBytesLoadToTheValues() {
        return entries(GOLDEN, "vectors").map(v -> dynamicTest(v.get("description").asText(), () -> {
            Object expected = Vectors.value(v.get("value"));
            byte[] golden = hex(v.get("dumps_hex").asText());
            Object viaWire = WireFormat.decode(golden, 1, golden.length - 1, LoadOptions.DEFAULTS, Vectors.TEST_CHANNELS);
            assertPyEquals(expected, viaWire, "$");
            if (hasChannel(v.get("value"))) {
                assertThrows(DataFormatException.class, () -> Serializer.loads(golden));
            } else {
                assertPyEquals(expected, Serializer.loads(golden), "$");
                byte[] v2 = golden.clone();
                v2[0] = 2;
                assertPyEquals(expected, Serializer.loads(v2), "$");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> decodeOnlyInputsLoadAsExecnetLoadsThem() {
        return entries(GOLDEN, "decode_only_vectors").map(v -> dynamicTest(v.get("description").asText(), () -> {
            JsonNode kwargs = v.get("loads_kwargs");
            LoadOptions options = LoadOptions.DEFAULTS.withStringCoercion(
                    kwargs.path("py2str_as_py3str").asBoolean(false), kwargs.path("py3str_as_py2str").asBoolean(false));
            Object actual = Serializer.loads(hex(v.get("hex").asText()), options);
            assertPyEquals(Vectors.value(v.get("expected")), actual, "$");
        }));
    }

    /**
     * execnet's dump errors, each with the Java value that plays its part. Where Java has a
     * better answer than execnet (ints below -2**31, which execnet cannot send at all; any List
     * implementation, which is Java's way of saying list) the test asserts that answer.
     */
    @TestFactory
    Stream<DynamicTest> dumpErrors() {
        Map<String, Runnable> cases = new LinkedHashMap<>();
        cases.put("negative int below -2**31 (-2**31-1)", () -> assertArrayEquals(
                hex("02480000000b2d3231343734383336343951"), Serializer.dumps(-2147483649L)));
        cases.put("negative int -2**100", () -> assertEquals(
                new java.math.BigInteger("-1267650600228229401496703205376"),
                Serializer.loads(Serializer.dumps(java.math.BigInteger.TWO.pow(100).negate()))));
        cases.put("str with lone surrogate U+D800", () -> assertDumpError("x\uD800y", "strings must be utf-8 encodable", "$"));
        cases.put("instance of a user class", () -> assertDumpError(new Thread(), "java.lang.Thread", "$"));
        cases.put("int subclass instance", () -> assertDumpError(new AtomicInteger(3), "AtomicInteger", "$"));
        cases.put("list subclass instance", () -> assertArrayEquals(
                Serializer.dumps(new ArrayList<>(List.of(1, 2))), Serializer.dumps(new LinkedList<>(List.of(1, 2)))));
        cases.put("dict containing an unserializable value", () -> assertDumpError(
                List.of(1, 2, Map.of("k", new Object())), "java.lang.Object", "$[2][\"k\"]"));
        return entries(GOLDEN, "dump_errors").map(v -> {
            String description = v.get("description").asText();
            Runnable check = cases.get(description);
            return dynamicTest(description, () -> {
                assertTrue(check != null, "no Java counterpart for dump error vector: " + description);
                check.run();
            });
        });
    }

    private static void assertDumpError(Object value, String messagePart, String path) {
        DumpException e = assertThrows(DumpException.class, () -> Serializer.dumps(value));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertEquals(path, e.path());
    }

    /**
     * Every corrupt input raises DataFormatException, whatever execnet 1.9 leaked; also with
     * the 2.x version byte. The only input that loads is the 2.x dump of None: execnet4j reads
     * both versions.
     */
    @TestFactory
    Stream<DynamicTest> corruptInputsRaiseDataFormatException() {
        assertEquals(INVALID.get("counts").get("total").asInt(), INVALID.get("vectors").size());
        return entries(INVALID, "vectors").flatMap(v -> Stream.of(v.get("hex").asText(),
                        v.get("execnet_2x").get("input_hex_used").asText())
                .distinct()
                .map(input -> dynamicTest(v.get("description").asText() + " [" + input + "]", () -> {
                    byte[] bytes = hex(input);
                    Supplier<Object> load = () -> Serializer.loads(bytes);
                    if (input.equals("024c51")) {
                        assertEquals("loaded", v.get("execnet_2x").get("outcome").asText());
                        assertEquals(null, load.get());
                    } else {
                        DataFormatException e = assertThrows(DataFormatException.class, load::get);
                        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                    }
                })));
    }
}
