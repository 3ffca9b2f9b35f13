package org.execnet4j.serializer;

import java.util.HexFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.testing.Allocations;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the decoder (issue 9): any bytes given to {@code loads} or to the wire form's decoder
 * yield a value or a {@link DataFormatException}, never another exception, and allocate at
 * most a bounded multiple of their size. {@link #decode} replays its corpus in every build and
 * fuzzes with {@code JAZZER_FUZZ=1}; benchmarks/fuzz.sh runs the standalone driver on
 * {@link #fuzzerTestOneInput} seeded with the vectors.
 */
public class DecoderFuzzTest {
    /** Allocation allowed per input byte: the decoder's budget plus its transient arrays. */
    static final long PER_INPUT_BYTE = 2L * WireFormat.BUDGET_PER_INPUT_BYTE;
    static final long SLACK = 1 << 20;

    /**
     * Checks both invariants for one input; the entry point of Jazzer's standalone driver.
     *
     * @param input any bytes
     */
    public static void fuzzerTestOneInput(byte[] input) {
        Allocations.assertBounded(() -> decodeBothWays(input), input.length, PER_INPUT_BYTE, SLACK,
                () -> "input " + shortHex(input));
    }

    private static void decodeBothWays(byte[] input) {
        try {
            Serializer.loads(input);
        } catch (DataFormatException e) {
            // refused: fine
        }
        try {
            WireFormat.decode(input, 0, input.length, LoadOptions.CHANNEL_DEFAULTS, Vectors.TEST_CHANNELS);
        } catch (DataFormatException e) {
            // refused: fine
        }
    }

    static String shortHex(byte[] input) {
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 200));
        return input.length > 200 ? hex + "... (" + input.length + " bytes)" : hex;
    }

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        fuzzerTestOneInput(input);
    }

    @Test
    void everyVectorKeepsTheInvariants() {
        Vectors.seeds().forEach(DecoderFuzzTest::fuzzerTestOneInput);
    }
}
