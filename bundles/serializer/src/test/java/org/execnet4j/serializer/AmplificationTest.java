package org.execnet4j.serializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.api.PyTuple;
import org.execnet4j.testing.Allocations;
import org.junit.jupiter.api.Test;

/**
 * What one decode allocates is bounded by the size of its input: a few bytes may not ask for
 * gigabytes (issue 9, item 1). Measured with the thread's allocation counter around the decode.
 */
class AmplificationTest {
    /** Input bytes of each crafted case. */
    private static final int SIZE = 20_000;

    /** A decode of the input allocates at most what {@link DecoderFuzzTest} allows. */
    static void assertBounded(String what, byte[] input) {
        Allocations.assertBounded(() -> {
            try {
                Serializer.loads(input);
            } catch (DataFormatException e) {
                // refused: what counts is what it cost
            }
        }, input.length, DecoderFuzzTest.PER_INPUT_BYTE, DecoderFuzzTest.SLACK, () -> what);
    }

    private static byte[] dump(Consumer<ByteArrayOutputStream> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(2);
        body.accept(out);
        out.write('Q');
        return out.toByteArray();
    }

    private static void int4(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    @Test
    void repeatedListsDeclaringAllBytesLeftDoNotAllocateQuadratically() {
        byte[] input = dump(out -> {
            for (int i = 0; i < SIZE / 5; i++) {
                out.write('K');
                int4(out, SIZE - 5 * i - 5);
            }
        });
        assertBounded("K <bytes left> repeated", input);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Serializer.loads(input));
        assertTrue(e.getMessage().contains("bytes of memory"), e.getMessage());
    }

    @Test
    void runsOfOneByteOpcodesStayWithinTheBound() {
        for (char op : new char[] {'J', 'L', 'R'}) {
            byte[] run = dump(out -> out.writeBytes(String.valueOf(op).repeat(SIZE).getBytes()));
            assertBounded("a run of " + op, run);
            byte[] tuple = dump(out -> {
                out.writeBytes(String.valueOf(op).repeat(SIZE).getBytes());
                out.write('@');
                int4(out, SIZE);
            });
            assertBounded("a tuple of " + SIZE + " " + op, tuple);
            assertEquals(SIZE, ((PyTuple) Serializer.loads(tuple)).size(), "a tuple of " + op + " is a valid value");
        }
    }

    @Test
    void emptySetsAndFrozenSetsStayWithinTheBound() {
        for (char op : new char[] {'O', 'E'}) {
            byte[] run = dump(out -> {
                for (int i = 0; i < SIZE / 5; i++) {
                    out.write(op);
                    int4(out, 0);
                }
            });
            assertBounded("a run of empty " + op, run);
        }
    }

    @Test
    void legitimateLargeValuesStillLoad() {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(Map.of("id", i, "name", "n" + i, "tags", List.of("a", "b"), "t", PyTuple.of(i, 1.5)));
        }
        Object[] shapes = {records, Collections.nCopies(5000, Map.of()), Collections.nCopies(5000, List.of()),
                PyTuple.copyOf(Collections.nCopies(5000, Map.of())), "x".repeat(100_000), new byte[100_000]};
        for (Object value : shapes) {
            byte[] data = Serializer.dumps(value);
            Object back;
            try {
                back = Serializer.loads(data);
            } catch (DataFormatException e) {
                fail("a real value was refused: " + e.getMessage(), e);
                return;
            }
            assertTrue(back != null);
            assertBounded("a real value", data);
        }
    }

    @Test
    void theWireFormatReportsTheDecodedSizeWithinTheBound() {
        byte[] wire = WireFormat.encode(List.of("x".repeat(1000), Map.of("k", 1)), null, 0);
        WireFormat.Decoded decoded = WireFormat.decodeMeasured(wire, 0, wire.length, LoadOptions.DEFAULTS, null);
        assertEquals(List.of("x".repeat(1000), Map.of("k", 1)), decoded.value());
        assertTrue(decoded.heapBytes() >= 1000 && decoded.heapBytes() <= WireFormat.maxDecodedBytes(wire.length),
                "estimate " + decoded.heapBytes() + " for " + wire.length + " wire bytes");
    }
}
