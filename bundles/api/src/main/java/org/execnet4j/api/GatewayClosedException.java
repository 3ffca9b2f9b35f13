package org.execnet4j.api;

/**
 * The gateway is gone: the remote died, was killed, exited or sent garbage. The message names
 * the gateway id, its spec, and the exit code or cause.
 */
public class GatewayClosedException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the gateway or channel concerned */
    public GatewayClosedException(String message) {
        super(message);
    }

    /**
     * @param message what happened, naming the gateway or channel concerned
     * @param cause the underlying failure
     */
    public GatewayClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
