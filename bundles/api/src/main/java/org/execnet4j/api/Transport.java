package org.execnet4j.api;

import java.io.IOException;
import java.util.List;

/**
 * The SPI of one way to reach an interpreter ({@code popen}, {@code ssh}, ...): given a spec and
 * the interpreter arguments the engine wants run, it starts the interpreter and returns the byte
 * connection. It knows nothing about frames or channels. Implementations are found through
 * {@link java.util.ServiceLoader} in plain Java and as OSGi services with the property
 * {@code execnet.transport=<type>}.
 */
public interface Transport {

    /** {@return the spec type this transport serves, one of {@link Spec#TYPES}} */
    String type();

    /**
     * Starts the interpreter.
     *
     * @param spec the gateway spec ({@code python=}, the ssh target, ...)
     * @param pythonArgs what follows the interpreter on its command line, e.g.
     *     {@code -u -c "import sys;exec(eval(sys.stdin.readline()))"}
     * @return the connection to the started interpreter's stdin and stdout
     * @throws IOException when the interpreter cannot be started; the message says why
     */
    Connection open(Spec spec, List<String> pythonArgs) throws IOException;

    /**
     * Whether this transport connects to a socket server that evaluates the bootstrap line itself
     * and hands the agent the connection as its global {@code clientsock} (protocol.md §4.8),
     * rather than starting an interpreter whose stdin and stdout carry the protocol. Such a
     * transport ignores the interpreter arguments of {@link #open}: a connection to it runs
     * exactly one line, the first one sent.
     *
     * @return {@code false} unless the transport reaches socket servers
     */
    default boolean connectsToServer() {
        return false;
    }

    /**
     * Whether the interpreters this transport starts normally run on this machine and see its
     * files (popen), so that the engine may hand them the name of a local file, such as its cache
     * of the compiled agent, instead of the file's content. An interpreter that turns out not to
     * see the file (a {@code python=} wrapper that runs it elsewhere) says so, and then gets the
     * content.
     *
     * @return {@code false} unless the transport starts local processes
     */
    default boolean runsOnThisMachine() {
        return false;
    }

    /**
     * Opens a connection to a gateway that runs inside another gateway's interpreter: starts a
     * one-connection server there and connects to it ({@code installvia=}, protocol.md §4.9).
     *
     * @param spec the gateway spec, with {@code installvia=}
     * @param host the gateway {@code installvia=} names, which will host the new one
     * @return the connection, ready for the bootstrap line
     * @throws IOException when the server cannot be started or reached; by default, because this
     *     transport cannot install gateways through another one
     */
    default Connection openInstalledVia(Spec spec, Gateway host) throws IOException {
        throw new IOException("the '" + type() + "' transport cannot start gateways with installvia=");
    }
}
