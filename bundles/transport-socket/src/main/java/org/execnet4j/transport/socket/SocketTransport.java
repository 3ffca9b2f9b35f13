package org.execnet4j.transport.socket;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Connection;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.PythonSource;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.core.SocketServerProgram;
import org.execnet4j.transport.socket.internal.Endpoint;
import org.execnet4j.transport.socket.internal.SocketConnection;
import org.execnet4j.transport.socket.internal.TokenHandshake;

/**
 * The {@code socket} transport (protocol.md §4.8, §4.9): connects to a socket server (execnet's
 * {@code socketserver.py} or execnet4j's {@link SocketServerScript}), passes its token challenge
 * when a token is given ({@code //token-file=PATH}, else the options' token file), and leaves the
 * connection to the engine, which sends the bootstrap line. {@code socket//installvia=ID} starts
 * a one-connection server inside gateway {@code ID}'s interpreter and connects to it, so the new
 * gateway runs in that process. Found through {@code META-INF/services} in plain Java (with
 * {@link SocketTransportOptions#fromSystemProperties()}); in OSGi a component registers one
 * configured by the PID {@code org.execnet4j.transport.socket}.
 */
public final class SocketTransport implements Transport {
    /** The spec type served. */
    public static final String TYPE = "socket";
    private static final PythonSource SERVER = PythonSource.code(SocketServerProgram.text());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketTransportOptions options;

    /** The transport with {@link SocketTransportOptions#fromSystemProperties()}. */
    public SocketTransport() {
        this(SocketTransportOptions.fromSystemProperties());
    }

    /**
     * A transport with its own options.
     *
     * @param options the token file and timeouts
     */
    public SocketTransport(SocketTransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The options in use.
     *
     * @return the options
     */
    public SocketTransportOptions options() {
        return options;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean connectsToServer() {
        return true;
    }

    /**
     * Connects to the spec's {@code HOST:PORT} and passes the token challenge if a token is given.
     *
     * @param spec a {@code socket=HOST:PORT} spec
     * @param pythonArgs ignored: the server runs the bootstrap line itself
     * @return the connection, ready for the bootstrap line
     * @throws IOException naming the address when it is malformed, does not resolve, refuses, or the
     *     token is refused or missing
     */
    @Override
    public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
        String target = spec.target().orElseThrow(() -> new IOException(
                "'" + spec + "' names no server: use socket=HOST:PORT (or socket//installvia=ID)"));
        Endpoint endpoint = Endpoint.parse(target);
        Optional<byte[]> token = token(spec);
        Socket socket = endpoint.connect(options.connectTimeout());
        return connected(socket, endpoint.toString(), "socket " + endpoint, token, () -> { });
    }

    /**
     * Starts execnet4j's socket server for one connection inside {@code host}'s interpreter
     * (loopback, an ephemeral port, a fresh random token) and connects to it.
     *
     * @param spec a {@code socket//installvia=ID} spec
     * @param host the gateway {@code ID}
     * @return the connection, ready for the bootstrap line
     * @throws IOException when the server cannot be started in {@code host} or not be reached
     */
    @Override
    public Connection openInstalledVia(Spec spec, Gateway host) throws IOException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Channel server;
        Object bound;
        try {
            server = host.remoteExec(SERVER, Map.of());
            server.send(PyTuple.of("127.0.0.1", 0, token));
            bound = server.receive(options.handshakeTimeout());
        } catch (ExecnetException e) {
            throw new IOException("cannot start a socket server in gateway " + host.id() + ": " + e.getMessage(), e);
        }
        if (!(bound instanceof PyTuple address && address.size() == 2 && address.get(1) instanceof Integer port)) {
            server.close();
            throw new IOException("the socket server in gateway " + host.id() + " answered " + bound + " instead of its address");
        }
        Endpoint endpoint = new Endpoint("127.0.0.1", port);
        try {
            Socket socket = endpoint.connect(options.connectTimeout());
            return connected(socket, endpoint.toString(), "socket " + endpoint + " in gateway " + host.id(),
                    Optional.of(token.getBytes(StandardCharsets.US_ASCII)), server::close);
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    private Connection connected(Socket socket, String address, String description, Optional<byte[]> token, Runnable onKill)
            throws IOException {
        try {
            if (token.isPresent()) {
                TokenHandshake.authenticate(socket, token.get(), options.handshakeTimeout(), address);
            }
            return new SocketConnection(socket, address, description, token.isPresent(), onKill);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private Optional<byte[]> token(Spec spec) throws IOException {
        Optional<Path> file = spec.get("token-file").map(Path::of).or(options::tokenFile);
        return file.isPresent() ? Optional.of(TokenHandshake.readToken(file.get())) : Optional.empty();
    }

    @Override
    public String toString() {
        return "SocketTransport[" + options + "]";
    }
}
