package org.execnet4j.serializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The string keys of the dicts decoded before in one input, by their index in their dict: the
 * records of a dump repeat their keys in one order, so the key at index i of a dict is most often
 * the key at index i of the dict before. Finding it again takes a comparison of its bytes with
 * the bytes it was decoded from, no hashing. A key that differs replaces the one at its index;
 * dicts of several shapes in turn then only miss (and fall back to the short-string cache).
 */
final class DictKeys {
    /** Keys at higher indexes are not remembered. */
    static final int MAX_INDEX = 64;
    /** Longer keys are not remembered: two words cover the ones up to this length. */
    static final int MAX_BYTES = 16;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final String[] keys = new String[MAX_INDEX];
    /** Per index: where the key's bytes are in the input, and how many. */
    private final int[] starts = new int[MAX_INDEX];
    private final int[] lengths = new int[MAX_INDEX];

    /**
     * The key remembered at {@code index} if its bytes are the {@code n} bytes at {@code start} of
     * {@code in} (present, checked by the caller), else {@code null}.
     */
    String find(byte[] in, int start, int n, int index) {
        if (index >= MAX_INDEX) {
            return null;
        }
        String key = keys[index];
        return key != null && lengths[index] == n && sameBytes(in, starts[index], start, n) ? key : null;
    }

    /** Remembers {@code key}, decoded from the {@code n} bytes at {@code start}, as the key at {@code index}. */
    void keep(int start, int n, int index, String key) {
        if (index < MAX_INDEX && n <= MAX_BYTES) {
            keys[index] = key;
            starts[index] = start;
            lengths[index] = n;
        }
    }

    /**
     * Whether the {@code n} bytes (at most {@link #MAX_BYTES}) at {@code a} and at {@code b} are
     * equal; {@code a < b}, and both ranges are inside {@code in}.
     */
    private static boolean sameBytes(byte[] in, int a, int b, int n) {
        if (n > 8) {
            // the first 8 bytes and the last 8 (which overlap them if n < 16)
            return word(in, a) == word(in, b) && word(in, a + n - 8) == word(in, b + n - 8);
        }
        if (n == 0) {
            return true;
        }
        if (b + 8 <= in.length) {
            // the first n bytes of a big-endian word are its high bytes
            return (word(in, a) ^ word(in, b)) >>> (64 - 8 * n) == 0;
        }
        return Arrays.equals(in, a, a + n, in, b, b + n); // fewer than 8 bytes before the array's end
    }

    private static long word(byte[] in, int at) {
        return (long) LONG_BE.get(in, at);
    }
}
