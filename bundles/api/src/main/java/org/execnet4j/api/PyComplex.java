package org.execnet4j.api;

/**
 * A Python {@code complex} number. Components keep their exact IEEE-754 bits on the wire;
 * equality is that of {@link Double#compare}, so {@code NaN} parts compare equal to
 * themselves and {@code -0.0} differs from {@code 0.0}. The hash code is keyed with a secret
 * drawn once per JVM, so that crafted numbers cannot all collide as dict keys (hash flooding).
 *
 * @param real the real part
 * @param imag the imaginary part
 */
public record PyComplex(double real, double imag) {

    /** A hash code that crafted numbers cannot make collide. */
    @Override
    public int hashCode() {
        return KeyedHash.fold(digest());
    }

    long digest() {
        return new KeyedHash().add(Double.doubleToLongBits(real)).add(Double.doubleToLongBits(imag)).finish();
    }

    /** Python's repr of the number, e.g. {@code (1+2j)} or {@code 2j}; see {@link PyRepr}. */
    @Override
    public String toString() {
        return PyRepr.repr(this);
    }
}
