package org.execnet4j.core;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.serializer.WireFormat;

/**
 * A hand-written remote that speaks raw frames over a loopback socket, for inputs a real Python
 * agent never produces (hostile ids, floods of channel references, missing credits). The host
 * side is a real gateway started by {@link GatewayLauncher} through this transport; the test
 * plays the remote with {@link #read}, {@link #send} and the payload helpers.
 */
final class FakeRemote implements AutoCloseable {
    static final int STATUS = 0;
    static final int CHANNEL_EXEC = 3;
    static final int CHANNEL_DATA = 4;
    static final int CHANNEL_CLOSE = 5;
    static final int CHANNEL_CLOSE_ERROR = 6;
    static final int CHANNEL_LAST_MESSAGE = 7;
    static final int CHANNEL_CREDIT = 8;

    private static final AtomicInteger IDS = new AtomicInteger();

    /** One frame as the remote sees it. */
    record Frame(int type, int channel, byte[] payload) {
        /** The payload decoded without channel resolution. */
        Object value() {
            return WireFormat.decode(payload, 0, payload.length, org.execnet4j.serializer.LoadOptions.CHANNEL_DEFAULTS, null);
        }

        @Override
        public String toString() {
            return "<frame type=" + type + " channel=" + channel + " lendata=" + payload.length + ">";
        }
    }

    private final Gateway gateway;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final String bootstrapLine;

    private FakeRemote(Gateway gateway, Socket socket, String bootstrapLine) throws IOException {
        this.gateway = gateway;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
        this.bootstrapLine = bootstrapLine;
    }

    /** Starts a gateway with these settings whose remote is the returned fake. */
    static FakeRemote start(EngineSettings settings) {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HostSide host = new HostSide(server.getLocalPort());
            Thread launcher = new Thread(() -> host.launch(settings), "fake-remote-launch");
            launcher.start();
            Socket remote = server.accept();
            remote.setTcpNoDelay(true);     // the fake writes a frame in pieces: no Nagle delay per frame
            InputStream rin = remote.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = rin.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("the host closed before the bootstrap line ended");
                }
                line.write(b);
            }
            remote.getOutputStream().write('1');
            remote.getOutputStream().flush();
            launcher.join(30_000);
            if (host.gateway == null) {
                throw new IllegalStateException("the gateway did not start", host.failure);
            }
            return new FakeRemote(host.gateway, remote, line.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The host's gateway. */
    Gateway gateway() {
        return gateway;
    }

    /** The agent's configuration as the bootstrap line carries it: the (escaped) argument of {@code _execnet4j_main}. */
    String bootstrapConfig() {
        return bootstrapLine.substring(bootstrapLine.lastIndexOf("_execnet4j_main("));
    }

    /** Sends one raw frame to the host. */
    void send(int type, int channel, byte[] payload) {
        try {
            synchronized (out) {
                out.writeByte(type);
                out.writeInt(channel);
                out.writeInt(payload.length);
                out.write(payload);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one value as CHANNEL_DATA (no channel references inside). */
    void sendData(int channel, Object value) {
        send(CHANNEL_DATA, channel, payload(value));
    }

    /** The wire form of a value without channel references. */
    static byte[] payload(Object value) {
        return WireFormat.encode(value, null, 0);
    }

    /** The wire form of a tuple of channel references ({@code B id} each, 5 bytes apiece). */
    static byte[] channelRefs(int... ids) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(6 + 5 * ids.length);
        DataOutputStream d = new DataOutputStream(b);
        try {
            for (int id : ids) {
                d.writeByte('B');
                d.writeInt(id);
            }
            d.writeByte('@');
            d.writeInt(ids.length);
            d.writeByte('Q');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** The next frame from the host, or {@code null} when none came within {@code timeout}. */
    Frame read(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            int type;
            try {
                type = in.readByte();
            } catch (SocketTimeoutException e) {
                return null;
            }
            socket.setSoTimeout(0);
            int channel = in.readInt();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new Frame(type, channel, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames until one of {@code type} on {@code channel} comes; fails after {@code timeout}. */
    Frame expect(int type, int channel, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = read(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
            if (f != null && f.type() == type && f.channel() == channel) {
                return f;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("no frame of type " + type + " on channel " + channel + " within " + timeout);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        gateway.exit(Duration.ofSeconds(5));
    }

    /** The host end: a transport whose connection is the client socket. */
    private static final class HostSide implements Transport {
        private final int port;
        private volatile Gateway gateway;
        private volatile RuntimeException failure;

        HostSide(int port) {
            this.port = port;
        }

        void launch(EngineSettings settings) {
            try {
                EngineSettings fresh = settings.toBuilder().warmStart(false).build();   // a fake remote cannot fork
                GatewayLauncher launcher = new GatewayLauncher(type -> java.util.Optional.of(this), fresh);
                gateway = launcher.launch(Spec.parse("popen//python=fake-remote"), "fake" + IDS.incrementAndGet(), this, fresh,
                        new PendingLaunch(), launcher.newWarmPool());
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        @Override
        public String type() {
            return "popen";
        }

        @Override
        public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
            if (!pythonArgs.contains("-u")) {
                throw new IOException("the fake remote compiles no agent");
            }
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setTcpNoDelay(true);
            return new Connection() {
                public InputStream input() {
                    try {
                        return s.getInputStream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                public OutputStream output() {
                    try {
                        return s.getOutputStream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                public InputStream errors() {
                    return null;
                }

                public void closeOutput() {
                    try {
                        s.shutdownOutput();
                    } catch (IOException e) {
                        // already closed
                    }
                }

                public OptionalInt waitFor(Duration timeout) {
                    return s.isClosed() ? OptionalInt.of(0) : OptionalInt.empty();
                }

                public boolean isAlive() {
                    return !s.isClosed();
                }

                public void kill() {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }

                public OptionalLong pid() {
                    return OptionalLong.empty();
                }

                public String describe() {
                    return "fake remote on port " + port;
                }
            };
        }
    }
}
