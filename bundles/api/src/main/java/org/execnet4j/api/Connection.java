package org.execnet4j.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The byte connection a {@link Transport} returns: the interpreter's protocol input and output,
 * its diagnostic output, and the means to end it.
 */
public interface Connection {

    /** @return bytes from the remote (a child's stdout, a socket's input) */
    InputStream input();

    /** @return bytes to the remote (a child's stdin, a socket's output) */
    OutputStream output();

    /** @return the remote's diagnostic output (stderr), or {@code null} if the transport has none */
    InputStream errors();

    /** Closes the way to the remote, so a well-behaved remote sees end of input and exits. */
    void closeOutput();

    /**
     * Called just before the host asks the remote to exit. A transport that must later kill what
     * the remote started notes it here: once the remote has exited, its orphans can no longer be
     * found through it. Nothing by default.
     */
    default void exitRequested() {
    }

    /**
     * Waits at most {@code timeout} for the remote to end.
     *
     * @param timeout how long to wait at most
     * @return its exit status if it ended and has one
     */
    OptionalInt waitFor(Duration timeout);

    /** @return whether the remote (process, session or socket) is still there */
    boolean isAlive();

    /** Ends the remote forcibly, with every process it started, and releases all resources. */
    void kill();

    /** @return the local process id behind the connection, if there is one */
    OptionalLong pid();

    /** @return a short description for error messages, e.g. {@code popen python3 (pid 4711)} */
    String describe();
}
