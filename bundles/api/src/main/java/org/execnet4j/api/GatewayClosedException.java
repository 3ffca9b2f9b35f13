package org.execnet4j.api;

/**
 * The gateway is gone: the remote died, was killed, exited or sent garbage. The message names
 * the gateway id, its spec, and the exit code or cause.
 */
public class GatewayClosedException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    public GatewayClosedException(String message) {
        super(message);
    }

    public GatewayClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
