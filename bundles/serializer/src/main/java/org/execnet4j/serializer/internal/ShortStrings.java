package org.execnet4j.serializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Short strings decoded before in one input, found again by their bytes: records repeat their
 * dict keys and many values (names of hosts, states, tags), which then share one String (and
 * its cached hash code) instead of being decoded again. A direct-mapped cache: a string evicts
 * the one in its slot, so crafted collisions only cost the decoding the cache would have saved.
 */
final class ShortStrings {
    /** The longest encoded string (in bytes) the cache holds. */
    static final int MAX_BYTES = 32; // find() compares up to 4 words of 8 bytes
    /** Inputs shorter than this get no cache: they rarely repeat a string enough to pay for it. */
    private static final int MIN_INPUT = 1024;
    /** Input bytes per slot, so that the cache stays small beside its input. */
    private static final int INPUT_PER_SLOT = 64;
    private static final int MAX_SLOTS = 1024;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final String[] strings;
    /** Per slot: the string's first (up to) 8 bytes as a big-endian long, zero-padded. */
    private final long[] heads;
    /** Per slot: its last 8 bytes as a big-endian long if it has more than 8, else zero. */
    private final long[] tails;
    /** Per slot: its length in bytes, and where its bytes are in the input. */
    private final int[] lengths;
    private final int[] starts;
    /** 64 minus log2 of the slot count: a slot is the top bits of the hash product. */
    private final int shift;
    /** The slot of the bytes the last {@link #find} missed. */
    private int missSlot;

    private ShortStrings(int slots) {
        strings = new String[slots];
        heads = new long[slots];
        tails = new long[slots];
        lengths = new int[slots];
        starts = new int[slots];
        shift = 64 - Integer.numberOfTrailingZeros(slots);
    }

    /** A cache sized for an input of {@code inputBytes}, or {@code null} if it is too short to need one. */
    static ShortStrings forInput(int inputBytes) {
        return inputBytes < MIN_INPUT ? null
                : new ShortStrings(Math.min(MAX_SLOTS, Integer.highestOneBit(inputBytes / INPUT_PER_SLOT)));
    }

    /**
     * The string decoded before from the {@code n} bytes at {@code start} of {@code in} (1 to
     * {@link #MAX_BYTES}) if the cache still holds it, else {@code null}: then {@link #keep}
     * stores the string of these bytes.
     */
    String find(byte[] in, int start, int n) {
        long head = head(in, start, n);
        long tail = n > 8 ? (long) LONG_BE.get(in, start + n - 8) : 0;
        // the top bits of the product depend on every bit of its factor (a short string's bytes
        // are in the high bits of its head: lower bits of the product would not see them)
        int slot = (int) ((((head ^ Long.rotateLeft(tail, 29)) + n) * 0x9E3779B97F4A7C15L) >>> shift);
        String s = strings[slot];
        // the first and last 8 bytes cover strings up to 16 bytes; longer ones (up to 32) compare
        // the two 8-byte words that cover their middle, bytes 8 to n - 8
        if (s != null && heads[slot] == head && tails[slot] == tail && lengths[slot] == n
                && (n <= 16 || sameWord(in, starts[slot] + 8, start + 8) && sameWord(in, starts[slot] + n - 16, start + n - 16))) {
            return s;
        }
        missSlot = slot;
        heads[slot] = head;
        tails[slot] = tail;
        lengths[slot] = n;
        starts[slot] = start;
        strings[slot] = null;
        return null;
    }

    /** Stores {@code s}, the string of the bytes the last {@link #find} did not find. */
    void keep(String s) {
        strings[missSlot] = s;
    }

    private static boolean sameWord(byte[] in, int a, int b) {
        return (long) LONG_BE.get(in, a) == (long) LONG_BE.get(in, b);
    }

    private static long head(byte[] in, int start, int n) {
        if (in.length - start >= 8) {
            long word = (long) LONG_BE.get(in, start);
            return n >= 8 ? word : word & (-1L << (64 - 8 * n));
        }
        return headNearEnd(in, start, n);
    }

    /** {@link #head} of a string less than 8 bytes before the end of the array. */
    private static long headNearEnd(byte[] in, int start, int n) {
        long word = 0;
        for (int i = 0; i < n && i < 8; i++) {
            word |= (in[start + i] & 0xFFL) << (56 - 8 * i);
        }
        return word;
    }
}
