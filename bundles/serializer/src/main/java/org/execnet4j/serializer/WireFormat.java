package org.execnet4j.serializer;

import org.execnet4j.serializer.internal.Decoder;
import org.execnet4j.serializer.internal.Encoder;
import org.execnet4j.serializer.internal.HeapCost;

/**
 * The value encoding inside gateway frames: the opcodes without a version byte, with channel
 * references encoded and resolved by the gateway's {@link ChannelRefs}. For the engine.
 *
 * <p>Decoding is bounded by the input: the heap a decoded value holds is estimated as it is
 * built and may not exceed {@link #maxDecodedBytes(int)} ({@value #BUDGET_PER_INPUT_BYTE} bytes per
 * input byte plus 1 KiB), or the decode fails with a {@link org.execnet4j.api.DataFormatException}.
 * {@link #decodeMeasured} also returns that estimate, for callers that account for the memory
 * of queued values.
 */
public final class WireFormat {
    /** The heap bytes a decoded value may hold per byte of its encoding. */
    public static final int BUDGET_PER_INPUT_BYTE = HeapCost.PER_INPUT_BYTE;

    private WireFormat() {
    }

    /**
     * A decoded value with the estimate of the heap it holds.
     *
     * @param value the decoded value
     * @param heapBytes estimated heap bytes of the value (shallow sizes of everything decoded,
     *     shared constants such as {@code None} and small ints not counted); at most
     *     {@link #maxDecodedBytes(int)} of the encoded length
     */
    public record Decoded(Object value, long heapBytes) {
    }

    /**
     * Encodes a value after {@code headroom} unused leading bytes, so a caller can put a frame
     * header there and write header and payload as one buffer.
     *
     * @param value the value to encode
     * @param refs encodes channel references, or {@code null} to refuse them
     * @param headroom free bytes to leave before the encoding
     * @return the encoding, after {@code headroom} bytes
     * @throws org.execnet4j.api.DumpException if some part of the value has no Python form
     */
    public static byte[] encode(Object value, ChannelRefs refs, int headroom) {
        return new Encoder(headroom, refs, Serializer.MAX_DUMP_DEPTH).encode(value);
    }

    /**
     * Decodes one value from {@code length} bytes at {@code offset}.
     *
     * @param data holds the encoding
     * @param offset where the encoding starts
     * @param length the encoding's length
     * @param options string coercion and bounds
     * @param refs resolves channel references, or {@code null} to refuse them
     * @return the value
     * @throws org.execnet4j.api.DataFormatException if the bytes are not a valid value, or the
     *     value would take more than {@link #maxDecodedBytes(int)}
     */
    public static Object decode(byte[] data, int offset, int length, LoadOptions options, ChannelRefs refs) {
        return new Decoder(data, offset, length, options, refs).decode();
    }

    /**
     * Decodes one value like {@link #decode} and estimates the heap it holds, at no extra cost.
     *
     * @param data holds the encoding
     * @param offset where the encoding starts
     * @param length the encoding's length
     * @param options string coercion and bounds
     * @param refs resolves channel references, or {@code null} to refuse them
     * @return the value and its estimated heap bytes
     * @throws org.execnet4j.api.DataFormatException as {@link #decode} does
     */
    public static Decoded decodeMeasured(byte[] data, int offset, int length, LoadOptions options, ChannelRefs refs) {
        Decoder decoder = new Decoder(data, offset, length, options, refs);
        Object value = decoder.decode();
        return new Decoded(value, decoder.heapBytes());
    }

    /**
     * The most heap a value decoded from {@code length} bytes may hold (by the decoder's
     * estimate): {@value #BUDGET_PER_INPUT_BYTE} bytes per input byte plus 1 KiB. Lets a caller
     * bound a value's memory before decoding it.
     *
     * @param length an encoding's length in bytes
     * @return the bound in bytes
     */
    public static long maxDecodedBytes(int length) {
        return HeapCost.budget(length);
    }
}
