package org.execnet4j.serializer;

import static org.execnet4j.serializer.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.api.DumpException;
import org.junit.jupiter.api.Test;

/** loads of any bytes returns a value or throws DataFormatException, within bounded memory. */
class UntrustedInputTest {
    private static final int FUZZ_CASES = 120_000;

    @Test
    void fuzzedInputsOnlyEverRaiseDataFormatException() {
        List<byte[]> seeds = Vectors.seeds();
        SplittableRandom random = new SplittableRandom(0x5EED);
        int loaded = 0;
        for (int i = 0; i < FUZZ_CASES; i++) {
            byte[] input = i % 4 == 0 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            DecoderFuzzTest.fuzzerTestOneInput(input);
            try {
                Serializer.loads(input);
                loaded++;
            } catch (DataFormatException e) {
                // counted below
            }
        }
        int refused = FUZZ_CASES - loaded;
        assertTrue(loaded > 1000 && refused > 1000, "fuzzing reached both outcomes: " + loaded + " / " + refused);
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] b = new byte[random.nextInt(1, 40)];
        b[0] = (byte) random.nextInt(1, 3);
        for (int i = 1; i < b.length; i++) {
            // mostly opcodes, sometimes anything
            b[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt('@', 'U'));
        }
        return b;
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(seed);
        byte[] b = out.toByteArray();
        if (b.length == 0) {
            return b;
        }
        switch (random.nextInt(5)) {
            case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> {
                int at = random.nextInt(b.length);
                int[] nasty = {0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 3};
                int v = nasty[random.nextInt(nasty.length)];
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (24 - 8 * k));
                }
            }
            case 3 -> b[random.nextInt(b.length)] = (byte) random.nextInt('@', 'U');
            default -> {
                int from = random.nextInt(b.length);
                int to = random.nextInt(b.length);
                b[to] = b[from];
            }
        }
        return b;
    }

    @Test
    void hugeDeclaredLengthsFailBeforeAllocating() {
        for (String input : List.of("014b7fffffff51", "01417fffffff", "014e7ffffff0", "01487fffffff31",
                "014d7fffffff", "014b800000004c51")) {
            assertThrows(DataFormatException.class, () -> Serializer.loads(hex(input)), input);
        }
    }

    @Test
    void nestingIsBoundedAndTheBoundIsConfigurable() {
        int levels = 3000;
        byte[] deepTuples = deepTuple(levels);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Serializer.loads(deepTuples));
        assertTrue(e.getMessage().contains("nesting deeper than 1000"), e.getMessage());
        Object loaded = Serializer.loads(deepTuples, LoadOptions.DEFAULTS.withMaxDepth(levels));
        assertTrue(loaded instanceof List<?>);
        assertThrows(DataFormatException.class, () -> Serializer.loads(Serializer.dumps(List.of(List.of(List.of()))),
                LoadOptions.DEFAULTS.withMaxDepth(2)));
    }

    /** ((((None,),),),...) as opcodes: iterative in the decoder, so only the depth bound stops it. */
    private static byte[] deepTuple(int levels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(2);
        out.write('L');
        for (int i = 0; i < levels; i++) {
            out.writeBytes(new byte[] {'@', 0, 0, 0, 1});
        }
        out.write('Q');
        return out.toByteArray();
    }

    @Test
    void cyclicJavaValuesFailAtDumpTimeNamingTheProblem() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        DumpException e = assertThrows(DumpException.class, () -> Serializer.dumps(cycle));
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
    }

    @Test
    void unhashableKeysAreRefusedBeforeSending() {
        DumpException e = assertThrows(DumpException.class,
                () -> Serializer.dumps(java.util.Map.of(List.of(1), 2)));
        assertTrue(e.getMessage().contains("unhashable"), e.getMessage());
    }

    @Test
    void bigIntegerTextIsBoundedLikeCPython() {
        String digits = "9".repeat(5000);
        byte[] big = Serializer.dumps(new java.math.BigInteger(digits));
        assertThrows(DataFormatException.class, () -> Serializer.loads(big));
        assertEquals(new java.math.BigInteger(digits),
                Serializer.loads(big, new LoadOptions(false, false, 1000, 6000)));
    }

    /** Issue 9, item 13: collections that are neither List, Set nor Map, holding None. */
    @Test
    void otherCollectionsHoldingNullDumpAsListsWithNone() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", null);
        assertEquals(java.util.Arrays.asList(1, null), Serializer.loads(Serializer.dumps(map.values())));
        java.util.Queue<Object> queue = new java.util.LinkedList<>(java.util.Arrays.asList(null, "x"));
        assertEquals(java.util.Arrays.asList(null, "x"), Serializer.loads(Serializer.dumps(queue)));
    }

    @Test
    void aListWhoseSizeLiesIsADumpExceptionNotACorruptDump() {
        List<Object> liar = new java.util.AbstractList<>() {
            @Override
            public Object get(int index) {
                return index;
            }

            @Override
            public int size() {
                return 3;
            }

            @Override
            public java.util.Iterator<Object> iterator() {
                return List.<Object>of(1, 2).iterator();
            }
        };
        DumpException e = assertThrows(DumpException.class, () -> Serializer.dumps(liar));
        assertTrue(e.getMessage().contains("changed while it was encoded"), e.getMessage());
    }
}
