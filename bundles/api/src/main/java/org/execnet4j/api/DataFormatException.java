package org.execnet4j.api;

/**
 * Bytes that are not a valid execnet value encoding (execnet's {@code DataFormatError} /
 * {@code LoadError}), or a value that cannot be encoded (the subclass {@link DumpException}).
 */
public class DataFormatException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the gateway or channel concerned */
    public DataFormatException(String message) {
        super(message);
    }

    /**
     * @param message what happened, naming the gateway or channel concerned
     * @param cause the underlying failure
     */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
