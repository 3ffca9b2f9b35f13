package org.execnet4j.serializer.internal;

import java.util.Arrays;

/**
 * The filled arrays of one encoding, in order: the encoder starts a new array when the current
 * one is full instead of copying everything into a larger one, and joins them all once at the end.
 */
final class Chunks {
    private byte[][] arrays = new byte[8][];
    private int[] lengths = new int[8];
    private int count;
    private long total;

    /** Appends the first {@code length} bytes of {@code array}, which the caller no longer writes. */
    void add(byte[] array, int length) {
        if (count == arrays.length) {
            arrays = Arrays.copyOf(arrays, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        arrays[count] = array;
        lengths[count] = length;
        count++;
        total += length;
    }

    /** The bytes added so far. */
    long total() {
        return total;
    }

    /**
     * The bytes added, followed by the first {@code lastLength} bytes of {@code last}, in one
     * array; the caller has checked that they fit.
     */
    byte[] join(byte[] last, int lastLength) {
        byte[] out = new byte[Math.toIntExact(total + lastLength)];
        int at = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(arrays[i], 0, out, at, lengths[i]);
            at += lengths[i];
        }
        System.arraycopy(last, 0, out, at, lastLength);
        return out;
    }
}
