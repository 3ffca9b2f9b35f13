package org.execnet4j.api;

/**
 * A Python {@code complex} number. Components keep their exact IEEE-754 bits on the wire;
 * equality is that of {@link Double#compare}, so {@code NaN} parts compare equal to
 * themselves and {@code -0.0} differs from {@code 0.0}.
 */
public record PyComplex(double real, double imag) {

    /** Python's repr of the number, e.g. {@code (1+2j)} or {@code 2j}; see {@link PyRepr}. */
    @Override
    public String toString() {
        return PyRepr.repr(this);
    }
}
