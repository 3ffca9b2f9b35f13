package org.execnet4j.transport.socket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the socket transport uses when a spec does not say: the token file for servers started
 * with {@code --token-file} (a spec's {@code //token-file=PATH} wins) and the timeouts of
 * connecting and of the token challenge.
 *
 * @param tokenFile the file holding the token, or empty to send none unless the spec names one
 * @param connectTimeout how long a TCP connect may take
 * @param handshakeTimeout how long the server may take to send its token challenge and verdict
 */
public record SocketTransportOptions(Optional<Path> tokenFile, Duration connectTimeout, Duration handshakeTimeout) {
    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default token-challenge timeout. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The system property naming a default token file for plain Java ({@link #fromSystemProperties()}). */
    public static final String TOKEN_FILE_PROPERTY = "execnet4j.socket.tokenFile";
    /** No token file, default timeouts. */
    public static final SocketTransportOptions DEFAULTS =
            new SocketTransportOptions(Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when a timeout is not positive
     */
    public SocketTransportOptions {
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /**
     * The defaults, with the token file of the system property {@value #TOKEN_FILE_PROPERTY} if set.
     *
     * @return the options
     */
    public static SocketTransportOptions fromSystemProperties() {
        String file = System.getProperty(TOKEN_FILE_PROPERTY, "");
        return file.isBlank() ? DEFAULTS : DEFAULTS.withTokenFile(Path.of(file));
    }

    /**
     * These options with another default token file.
     *
     * @param file the token file
     * @return the changed copy
     */
    public SocketTransportOptions withTokenFile(Path file) {
        return new SocketTransportOptions(Optional.of(file), connectTimeout, handshakeTimeout);
    }

    /**
     * These options with other timeouts.
     *
     * @param connect the connect timeout
     * @param handshake the token-challenge timeout
     * @return the changed copy
     */
    public SocketTransportOptions withTimeouts(Duration connect, Duration handshake) {
        return new SocketTransportOptions(tokenFile, connect, handshake);
    }
}
