package org.execnet4j.core;

import org.execnet4j.core.internal.ServerProgram;

/**
 * execnet4j's socket server, a Python program (3.8+, standard library only): serves
 * {@code socket=HOST:PORT} gateways of execnet4j and of Python execnet, one forked process per
 * connection, and keeps execnet4j's agent loaded so that a forked process starts an execnet4j
 * gateway without loading the agent again. {@code python3 execnet4j_socketserver.py --help}
 * lists its options.
 */
public final class SocketServerProgram {
    /** The program's usual file name. */
    public static final String FILE_NAME = ServerProgram.FILE_NAME;

    private SocketServerProgram() {
    }

    /**
     * The program with this version's agent embedded (about 100 KB more): what to run on a host.
     * A host of another execnet4j version notices the different agent and sends its own.
     *
     * @return the Python source
     */
    public static String withAgent() {
        return ServerProgram.withAgent();
    }

    /**
     * The program without an agent, for running inside a gateway ({@code installvia=}).
     *
     * @return the Python source
     */
    public static String text() {
        return ServerProgram.text();
    }
}
