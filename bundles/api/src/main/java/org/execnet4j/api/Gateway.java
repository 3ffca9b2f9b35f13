package org.execnet4j.api;

import java.time.Duration;
import java.util.Map;

/**
 * A connection to one remote Python interpreter: runs code there ({@link #remoteExec}) and
 * owns the channels to it. The Java side of execnet's {@code Gateway}. Closing it (also by
 * try-with-resources) is {@link #exit()}.
 *
 * <p>Thread-safe: any thread may run code, open channels, ask for status and exit; calls that
 * wait wake with {@link GatewayClosedException} when the remote dies.
 */
public interface Gateway extends AutoCloseable {

    /** The gateway id, {@code gw0}, {@code gw1}, ... unless the spec gave one. */
    String id();

    /** The spec the gateway was made from. */
    Spec spec();

    /** Runs Python source remotely; the code sees {@code channel} and {@code __name__ == '__channelexec__'}. */
    Channel remoteExec(String source);

    /** Runs a module or calls a function remotely with keyword arguments. */
    Channel remoteExec(PythonSource source, Map<String, ?> kwargs);

    /** A new channel; the remote learns about it when it is sent to it inside a value. */
    Channel newChannel();

    /** The remote's channel and task counts and execution model. */
    RemoteStatus remoteStatus();

    /** Like {@link #remoteStatus()}, waiting at most {@code timeout}. */
    RemoteStatus remoteStatus(Duration timeout);

    /** Facts about the remote interpreter: executable, cwd, version, platform, pid. */
    RemoteInfo remoteInfo();

    /** Like {@link #remoteInfo()}, waiting at most {@code timeout}. */
    RemoteInfo remoteInfo(Duration timeout);

    /** Sets how strings decode on both sides for channels created afterwards. */
    void reconfigure(boolean py2strAsPy3str, boolean py3strAsPy2str);

    /** Where this gateway's remote output goes from now on. */
    void setRemoteOutput(RemoteOutput output);

    /** Whether the connection is still up. */
    boolean isAlive();

    /** Asks the remote to exit and waits for it a default time, then kills it; see {@link #exit(Duration)}. */
    ExitOutcome exit();

    /**
     * Asks the remote to exit, waits at most {@code timeout} for it to go, then kills the process
     * and its descendants. Returns within {@code timeout} plus a small bounded slack; afterwards no
     * thread of this gateway and no process it started is left.
     */
    ExitOutcome exit(Duration timeout);

    /** {@link #exit()}: ends the remote, killing it if it does not go in time. */
    @Override
    default void close() {
        exit();
    }
}
