package org.execnet4j.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A connection to one remote Python interpreter: runs code there ({@link #remoteExec}) and
 * owns the channels to it. The Java side of execnet's {@code Gateway}. Closing it (also by
 * try-with-resources) is {@link #exit()}.
 *
 * <p>Thread-safe: any thread may run code, open channels, ask for status and exit; calls that
 * wait wake with {@link GatewayClosedException} when the remote dies.
 */
public interface Gateway extends AutoCloseable {

    /** @return the gateway id, {@code gw0}, {@code gw1}, ... unless the spec gave one */
    String id();

    /** @return the spec the gateway was made from */
    Spec spec();

    /**
     * Runs Python source remotely; the code sees {@code channel} and {@code __name__ == '__channelexec__'}.
     *
     * @param source Python statements (common indentation is removed)
     * @return the channel the code sees as {@code channel}
     * @throws GatewayClosedException when the gateway is gone
     */
    Channel remoteExec(String source);

    /**
     * Runs a module or calls a function remotely with keyword arguments.
     *
     * @param source what to run
     * @param kwargs the keyword arguments; their values must have a Python form
     * @return the channel the code sees as {@code channel}
     * @throws DumpException when an argument has no Python form
     * @throws GatewayClosedException when the gateway is gone
     */
    Channel remoteExec(PythonSource source, Map<String, ?> kwargs);

    /** @return a new channel; the remote learns about it when it is sent to it inside a value */
    Channel newChannel();

    /**
     * Asks the remote for its status, waiting a default time.
     *
     * @return the remote's channel and task counts and execution model
     * @throws GatewayClosedException when the gateway is gone
     */
    RemoteStatus remoteStatus();

    /**
     * Like {@link #remoteStatus()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return the remote's status
     * @throws ChannelTimeoutException when no answer came in time
     */
    RemoteStatus remoteStatus(Duration timeout);

    /**
     * Asks the remote interpreter about itself, waiting a default time.
     *
     * @return executable, cwd, version, platform and pid
     * @throws GatewayClosedException when the gateway is gone
     */
    RemoteInfo remoteInfo();

    /**
     * Like {@link #remoteInfo()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return facts about the remote interpreter
     * @throws ChannelTimeoutException when no answer came in time
     */
    RemoteInfo remoteInfo(Duration timeout);

    /**
     * Sets how strings decode on both sides for channels created afterwards (execnet's
     * {@code gateway.reconfigure}).
     *
     * @param py2strAsPy3str whether Python 2 {@code str} arrives as text
     * @param py3strAsPy2str whether text arrives as Python 2 {@code str}
     */
    void reconfigure(boolean py2strAsPy3str, boolean py3strAsPy2str);

    /** @param output where this gateway's remote output goes from now on */
    void setRemoteOutput(RemoteOutput output);

    /**
     * What this gateway has carried so far: frames and bytes both ways, channels. Cheap, never
     * blocks, and works on an ended gateway, which keeps its final figures.
     *
     * @return a snapshot of the gateway's counters
     */
    GatewayMetrics metrics();

    /** @return whether the connection is still up */
    boolean isAlive();

    /**
     * A stage that completes once this gateway has ended, for whatever reason: {@link #exit()},
     * the remote closing the connection, or its death. It completes normally, with the exception
     * that woke this gateway's waiters (its message says why), after every channel has ended.
     * Actions attached without an executor run on the thread that noticed the end, so they must
     * not block; attach them with an executor for anything slow.
     *
     * @return the stage; already complete for a gateway that has ended
     */
    CompletionStage<GatewayClosedException> whenEnded();

    /**
     * Asks the remote to exit and waits for it a default time, then kills it; see {@link #exit(Duration)}.
     *
     * @return how the remote ended
     */
    ExitOutcome exit();

    /**
     * Asks the remote to exit, waits at most {@code timeout} for it to go, then kills the process
     * and its descendants. Returns within {@code timeout} plus a small bounded slack; afterwards no
     * thread of this gateway and no process it started is left.
     *
     * @param timeout how long the remote gets to exit on its own
     * @return how the remote ended
     */
    ExitOutcome exit(Duration timeout);

    /**
     * Asks the remote to exit without waiting for it; a later {@link #exit(Duration)} then waits
     * (and asks no more). So many gateways can be asked at once and then waited for one after the
     * other, on one thread: a group's terminate. Gateways that cannot ask without waiting do
     * nothing here, and their {@code exit} asks.
     *
     * @param timeout how long the remote will get to exit on its own (the cleanup time it is
     *     granted is based on it): pass what is left of it to {@code exit}
     */
    default void requestExit(Duration timeout) {
    }

    /** {@link #exit()}: ends the remote, killing it if it does not go in time. */
    @Override
    default void close() {
        exit();
    }
}
