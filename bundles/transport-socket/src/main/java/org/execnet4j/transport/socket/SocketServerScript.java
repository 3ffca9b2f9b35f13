package org.execnet4j.transport.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * execnet4j's socket server, a Python program (3.8+, standard library only) shipped in this jar:
 * serves {@code socket=HOST:PORT} gateways of execnet4j and of Python execnet, one forked process
 * per connection, on 127.0.0.1 unless told otherwise, with optional token authentication.
 * {@code java -jar execnet4j-transport-socket.jar > execnet4j_socketserver.py} writes it out for a
 * remote host; {@code python3 execnet4j_socketserver.py --help} lists its options.
 */
public final class SocketServerScript {
    /** The script's file name, as a resource next to this class and in a distribution's {@code bin/}. */
    public static final String FILE_NAME = "execnet4j_socketserver.py";

    private SocketServerScript() {
    }

    /**
     * The script's text.
     *
     * @return the Python source
     * @throws UncheckedIOException when the resource cannot be read (a broken jar)
     */
    public static String text() {
        try (InputStream in = SocketServerScript.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException(FILE_NAME + " is missing from the socket transport's jar"));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE_NAME, e);
        }
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
