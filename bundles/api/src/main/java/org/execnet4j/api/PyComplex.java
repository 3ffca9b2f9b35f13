package org.execnet4j.api;

/**
 * A Python {@code complex} number. Components keep their exact IEEE-754 bits on the wire;
 * equality is that of {@link Double#compare}, so {@code NaN} parts compare equal to
 * themselves and {@code -0.0} differs from {@code 0.0}.
 */
public record PyComplex(double real, double imag) {

    @Override
    public String toString() {
        return "(" + real + (imag < 0 || (imag == 0 && 1 / imag < 0) ? "" : "+") + imag + "j)";
    }
}
