package org.execnet4j.serializer;

/**
 * How to decode: execnet's two string-coercion flags and the bounds that protect against
 * untrusted input. Immutable; start from {@link #DEFAULTS} (the flags of execnet's public
 * {@code loads()}) or {@link #CHANNEL_DEFAULTS} (the flags of a fresh channel).
 *
 * @param py2strAsPy3str decode Python 2 {@code str} (opcode {@code M}) to a Latin-1
 *     {@link String} instead of {@code byte[]}
 * @param py3strAsPy2str carried for {@code RECONFIGURE}; like execnet 1.x on Python 3 a Java
 *     receiver still decodes Python 3 strings to {@link String}, since Java has no second string
 *     type (the flag changes what a Python receiver does)
 * @param maxDepth the deepest nesting of containers accepted
 * @param maxIntDigits the longest decimal text accepted for a big integer (CPython's own limit
 *     is 4300 digits)
 */
public record LoadOptions(boolean py2strAsPy3str, boolean py3strAsPy2str, int maxDepth, int maxIntDigits) {

    /** Default for {@link #maxDepth}: far deeper than real data, far below a stack overflow. */
    public static final int DEFAULT_MAX_DEPTH = 1000;

    /** Default for {@link #maxIntDigits}, CPython's {@code sys.get_int_max_str_digits()}. */
    public static final int DEFAULT_MAX_INT_DIGITS = 4300;

    /** execnet's public {@code loads()} defaults: both flags off. */
    public static final LoadOptions DEFAULTS = new LoadOptions(false, false, DEFAULT_MAX_DEPTH, DEFAULT_MAX_INT_DIGITS);

    /** A fresh channel's configuration: Python 2 strings decode to {@link String}. */
    public static final LoadOptions CHANNEL_DEFAULTS = DEFAULTS.withStringCoercion(true, false);

    /**
     * Checks the bounds.
     *
     * @param py2strAsPy3str decode Python 2 {@code str} to a Latin-1 {@link String} instead of {@code byte[]}
     * @param py3strAsPy2str the flag carried for {@code RECONFIGURE}
     * @param maxDepth the deepest nesting of containers accepted, at least 1
     * @param maxIntDigits the longest decimal text accepted for a big integer, at least 1
     * @throws IllegalArgumentException if {@code maxDepth} or {@code maxIntDigits} is below 1
     */
    public LoadOptions {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, not " + maxDepth);
        }
        if (maxIntDigits < 1) {
            throw new IllegalArgumentException("maxIntDigits must be at least 1, not " + maxIntDigits);
        }
    }

    /**
     * These options with other string-coercion flags (as a channel's {@code RECONFIGURE} sets them).
     *
     * @param py2strAsPy3str decode Python 2 {@code str} to a Latin-1 {@link String} instead of {@code byte[]}
     * @param py3strAsPy2str the flag carried for {@code RECONFIGURE}; see {@link #py3strAsPy2str()}
     * @return new options with these flags and the same bounds
     */
    public LoadOptions withStringCoercion(boolean py2strAsPy3str, boolean py3strAsPy2str) {
        return new LoadOptions(py2strAsPy3str, py3strAsPy2str, maxDepth, maxIntDigits);
    }

    /**
     * These options with another nesting bound.
     *
     * @param maxDepth the deepest nesting of containers accepted, at least 1
     * @return new options with this bound and the same flags and digit limit
     * @throws IllegalArgumentException if {@code maxDepth} is below 1
     */
    public LoadOptions withMaxDepth(int maxDepth) {
        return new LoadOptions(py2strAsPy3str, py3strAsPy2str, maxDepth, maxIntDigits);
    }
}
