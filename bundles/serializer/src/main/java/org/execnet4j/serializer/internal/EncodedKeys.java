package org.execnet4j.serializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The encodings (PY3STRING opcode, length and UTF-8) of the string keys of the dicts encoded
 * before in one value, by their index in their dict: records repeat their keys in one order, so
 * the key at index i of a dict is most often the key at index i of the dict before (the same
 * String, or an equal one). Its encoding is then copied as four words instead of encoded again.
 * A key that differs replaces the one at its index. The encoder's counterpart of {@link DictKeys}.
 */
final class EncodedKeys {
    /** Keys at higher indexes are not remembered. */
    static final int MAX_INDEX = 64;
    /** The longest encoding remembered: four words. */
    static final int MAX_BYTES = 32;
    /** Keys longer than this (in chars) cannot have an encoding of {@link #MAX_BYTES} or fewer. */
    static final int MAX_CHARS = MAX_BYTES - 5;
    /**
     * The free bytes that {@link #copy} and {@link #keep} need after their position: the four
     * words, or the most a key of {@link #MAX_CHARS} chars encodes to.
     */
    static final int ROOM = 5 + 3 * MAX_CHARS;
    private static final int WORDS = MAX_BYTES / 8;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private String[] keys = new String[8];
    private int[] lengths = new int[8];
    private long[] words = new long[8 * WORDS];

    /**
     * Writes the encoding of {@code key} at {@code at} of {@code out} if it is the key
     * remembered at {@code index}, and some bytes after it (within {@link #ROOM}).
     *
     * @return where the encoding ends, or -1 if the key is not the one remembered
     */
    int copy(String key, int index, byte[] out, int at) {
        if (index >= keys.length) {
            return -1;
        }
        String known = keys[index];
        if (known != key && (known == null || !known.equals(key))) {
            return -1;
        }
        int w = index * WORDS;
        for (int i = 0; i < WORDS; i++) {
            LONG.set(out, at + 8 * i, words[w + i]);
        }
        return at + lengths[index];
    }

    /**
     * Remembers the encoding of {@code key}, the bytes of {@code out} from {@code start} to
     * {@code end} ({@link #ROOM} bytes or more from {@code start} in {@code out}), as the key at
     * {@code index}, unless the index or the encoding is too large.
     */
    void keep(String key, int index, byte[] out, int start, int end) {
        if (index >= MAX_INDEX || end - start > MAX_BYTES) {
            return;
        }
        if (index >= keys.length) {
            int size = Math.min(MAX_INDEX, Integer.highestOneBit(index) * 2);
            keys = Arrays.copyOf(keys, size);
            lengths = Arrays.copyOf(lengths, size);
            words = Arrays.copyOf(words, size * WORDS);
        }
        keys[index] = key;
        lengths[index] = end - start;
        int w = index * WORDS;
        for (int i = 0; i < WORDS; i++) {
            words[w + i] = (long) LONG.get(out, start + 8 * i);
        }
    }
}
