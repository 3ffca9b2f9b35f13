package org.execnet4j.serializer.internal;

/**
 * What decoded values hold on the heap, estimated from the shallow sizes of a 64-bit JVM with
 * compressed references (the default below 32 GiB of heap), and the budget a decode gets.
 * Values the decoder shares (None, booleans, small ints, empty tuples) cost nothing; a
 * container's slots are counted with the container.
 */
public final class HeapCost {
    /** Heap bytes one decode may charge per input byte; see {@link #budget(int)}. */
    public static final int PER_INPUT_BYTE = 64;
    /** Heap bytes every decode may charge on top of {@link #PER_INPUT_BYTE}. */
    public static final int BASE = 1024;

    static final int BOXED = 16;
    static final int BOXED_LONG = 24;
    static final int COMPLEX = 32;
    static final int BIG_INTEGER = 56;
    static final int LIST = 40;
    static final int TUPLE = 32;
    static final int DICT = 56;
    static final int DICT_ENTRY = 48;
    static final int SET = 72;
    static final int FROZEN_SET = SET + 32;
    private static final int ARRAY = 16;
    private static final int STRING = 24 + ARRAY;
    private static final int REFERENCE = 4;

    private HeapCost() {
    }

    /**
     * The most one decode of {@code inputBytes} bytes may charge: {@link #PER_INPUT_BYTE} per
     * byte plus {@link #BASE}. The largest ratio real data reaches is a tuple of empty dicts
     * (one byte each, about 60 heap bytes each).
     *
     * @param inputBytes the length of the input in bytes
     * @return the budget in estimated heap bytes
     */
    public static long budget(int inputBytes) {
        return (long) PER_INPUT_BYTE * inputBytes + BASE;
    }

    static long references(long n) {
        return REFERENCE * n;
    }

    static long bytes(int n) {
        return ARRAY + align(n);
    }

    /** A string decoded from {@code encodedBytes} bytes: Latin-1 strings store a byte per char. */
    static long string(String s, int encodedBytes) {
        int stored = s.length() == encodedBytes ? encodedBytes : 2 * s.length();
        return STRING + align(stored);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
