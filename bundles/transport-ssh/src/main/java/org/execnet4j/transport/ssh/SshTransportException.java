package org.execnet4j.transport.ssh;

import java.io.IOException;
import java.util.Objects;

/**
 * Why an ssh gateway could not be started, by stage: the connection, the server's host key, the
 * login, the jump host on the way, or the session channel for the remote command. Callers (and
 * the transport itself) tell failures apart by {@link #stage()}, never by message text.
 */
public final class SshTransportException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The stage of starting an ssh gateway that failed. */
    public enum Stage {
        /** The TCP connection or the start of the key exchange failed (refused, unreachable, timed out). */
        CONNECT,
        /** The server's host key was refused (unknown, changed, revoked, not pinned, or refused by the verifier). */
        HOST_KEY,
        /** The server refused every credential offered. */
        AUTHENTICATION,
        /** A jump host (ProxyJump) could not be reached or could not forward the connection. */
        JUMP,
        /** Connected and logged in, but the session channel for the remote command could not be opened. */
        CHANNEL,
        /** The transport was closed. */
        CLOSED
    }

    private final Stage stage;

    /**
     * @param stage the stage that failed
     * @param message what failed, naming the endpoint
     * @param cause the underlying failure, or {@code null}
     */
    public SshTransportException(Stage stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    /** @return the stage of starting the gateway that failed */
    public Stage stage() {
        return stage;
    }
}
