package org.execnet4j.api.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.execnet4j.api.Connection;

/**
 * Implemented by a {@link org.execnet4j.api.Transport} that can open a byte stream to a Unix
 * domain socket on the machine where one of its interpreters runs, as the user that interpreter
 * runs as: the way to a warm interpreter there, which forks a process per gateway (the popen
 * transport: a local socket; the ssh transport: an OpenSSH {@code direct-streamlocal} channel
 * over the connection the interpreter runs on).
 */
public interface UnixSocketReach {

    /**
     * Opens a stream to the Unix domain socket at {@code path} on the machine where the
     * interpreter behind {@code interpreter} runs.
     *
     * @param interpreter a connection this transport opened, whose interpreter still runs
     * @param path the socket's absolute path on that machine
     * @param polled whether the stream is read only after its input's {@code available()} says
     *     there is something (as a remote's stderr is read): then {@code available()} must not block
     * @param timeout how long opening may take at most
     * @return the stream; empty when the way there does not carry Unix domain sockets at all
     *     (an ssh server that refuses them), so that asking again is no use
     * @throws IOException when this socket cannot be reached (no such socket, the connection is
     *     gone, it took too long); the message says why
     */
    Optional<ByteStream> openUnixSocket(Connection interpreter, String path, boolean polled,
            Duration timeout) throws IOException;

    /**
     * Whether a kind's warm interpreter should start with the first gateway of its kind, which is
     * then forked from it too, rather than after it: true where a fresh start costs far more than
     * a fork (ssh: a session, the login shell and Python on the server per gateway), so the first
     * gateway saves its own and the second finds the warm interpreter ready. False by default
     * (popen: a lone gateway starts fresh and does not share the CPU with its warm interpreter).
     *
     * @return true to start the warm interpreter with the first gateway and fork that one too
     */
    default boolean startsWarmWithFirst() {
        return false;
    }
}
