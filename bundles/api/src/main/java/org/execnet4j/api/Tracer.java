package org.execnet4j.api;

/**
 * The SPI behind {@code EXECNET_DEBUG}: the engine reports what it sends and receives through a
 * tracer. Callers check {@link #enabled()} before building a message, so tracing costs nothing
 * when it is off.
 */
public interface Tracer {

    /** A tracer that is always off. */
    Tracer OFF = new Tracer() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void trace(String source, String message) {
            // off
        }
    };

    /** @return whether trace lines are wanted at all */
    boolean enabled();

    /**
     * The {@code EXECNET_DEBUG} value remote agents get, so they trace the same way.
     *
     * @return the value, empty for none
     */
    default String remoteSetting() {
        return "";
    }

    /**
     * Records one line.
     *
     * @param source a gateway id such as {@code gw0}
     * @param message the line
     */
    void trace(String source, String message);
}
