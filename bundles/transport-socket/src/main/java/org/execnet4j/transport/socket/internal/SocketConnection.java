package org.execnet4j.transport.socket.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Connection;

/**
 * A gateway's TCP connection to a socket server. The remote counts as ended once its side of the
 * stream reached end of file (or the connection was killed); there is no exit status. A server
 * that asks for a token although none was given is recognised in the first bytes and reported.
 */
public final class SocketConnection implements Connection {
    private final Socket socket;
    private final String address;
    private final String description;
    private final Runnable onKill;
    private final InputStream input;
    private final OutputStream output;
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * Wraps a connected (and, if needed, authenticated) socket.
     *
     * @param socket the socket
     * @param address the server's address, for messages
     * @param description e.g. {@code socket 127.0.0.1:8888}
     * @param authenticated whether the token challenge was passed already
     * @param onKill what else to release when the connection is killed
     * @throws IOException when the socket's streams cannot be had
     */
    public SocketConnection(Socket socket, String address, String description, boolean authenticated, Runnable onKill)
            throws IOException {
        this.socket = socket;
        this.address = address;
        this.description = description;
        this.onKill = onKill;
        this.input = new WatchedInput(socket.getInputStream(), !authenticated);
        this.output = socket.getOutputStream();
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public InputStream errors() {
        return null;
    }

    @Override
    public void closeOutput() {
        try {
            if (!socket.isClosed()) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        try {
            ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    @Override
    public boolean isAlive() {
        return ended.getCount() > 0;
    }

    @Override
    public void kill() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we can do
        } finally {
            ended.countDown();
            onKill.run();
        }
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public String describe() {
        return description;
    }

    /** Notes the end of the stream; checks the first bytes for a token challenge. */
    private final class WatchedInput extends FilterInputStream {
        private boolean checkFirstByte;

        WatchedInput(InputStream in, boolean checkFirstByte) {
            super(in);
            this.checkFirstByte = checkFirstByte;
        }

        @Override
        public int read() throws IOException {
            int b = watch(() -> in.read());
            if (checkFirstByte) {
                checkFirstByte = false;
                if (b == TokenHandshake.PROTOCOL.charAt(0)) {
                    checkChallenge();
                }
            }
            if (b < 0) {
                ended.countDown();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (checkFirstByte) {
                int first = read();
                if (first < 0) {
                    return -1;
                }
                b[off] = (byte) first;
                return 1;
            }
            int n = watch(() -> in.read(b, off, len));
            if (n < 0) {
                ended.countDown();
            }
            return n;
        }

        private void checkChallenge() throws IOException {
            byte[] rest = new byte[TokenHandshake.PROTOCOL.length() - 1];
            int n = in.readNBytes(rest, 0, rest.length);
            if (("e" + new String(rest, 0, n, StandardCharsets.US_ASCII)).equals(TokenHandshake.PROTOCOL)) {
                throw new IOException("the server at " + address
                        + " requires a token: give the gateway //token-file=PATH (or configure the socket transport's token file)");
            }
        }

        private int watch(IoRead read) throws IOException {
            try {
                return read.read();
            } catch (IOException e) {
                ended.countDown();
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface IoRead {
        int read() throws IOException;
    }
}
