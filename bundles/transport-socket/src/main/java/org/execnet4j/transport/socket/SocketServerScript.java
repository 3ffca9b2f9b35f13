package org.execnet4j.transport.socket;

import org.execnet4j.core.SocketServerProgram;

/**
 * execnet4j's socket server, a Python program (3.8+, standard library only, kept in execnet4j-core):
 * serves {@code socket=HOST:PORT} gateways of execnet4j and of Python execnet, one forked process
 * per connection, on 127.0.0.1 unless told otherwise, with optional token authentication, and
 * keeps execnet4j's agent loaded so a forked process starts an execnet4j gateway at once.
 * {@code java -cp execnet4j-core.jar:execnet4j-transport-socket.jar org.execnet4j.transport.socket.SocketServerScript
 * > execnet4j_socketserver.py} writes it out for a remote host; {@code python3 execnet4j_socketserver.py --help}
 * lists its options.
 */
public final class SocketServerScript {
    /** The script's file name, as in a distribution's {@code bin/}. */
    public static final String FILE_NAME = SocketServerProgram.FILE_NAME;

    private SocketServerScript() {
    }

    /**
     * The script's text, with this version's agent embedded ({@link SocketServerProgram#withAgent()}).
     *
     * @return the Python source
     */
    public static String text() {
        return SocketServerProgram.withAgent();
    }

    /**
     * Prints the script to standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.print(text());
        System.out.flush();
    }
}
