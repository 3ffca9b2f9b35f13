package org.execnet4j.api;

/** The root of every exception execnet4j throws; unchecked, like all of its subclasses. */
public class ExecnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the gateway or channel concerned */
    public ExecnetException(String message) {
        super(message);
    }

    /**
     * @param message what happened, naming the gateway or channel concerned
     * @param cause the underlying failure
     */
    public ExecnetException(String message, Throwable cause) {
        super(message, cause);
    }
}
