package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Spec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server started with --token-file: right, wrong and missing tokens, from the spec or the options. */
class TokenTest extends SocketTestBase {
    private ServerProcess server;
    private Path token;

    @BeforeEach
    void start() throws IOException {
        token = secret("token", "s3cret-token-for-tests\n");
        server = ourServer("--token-file", token.toString());
    }

    private Path secret(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void theRightTokenFromTheSpecIsAccepted() {
        Gateway gw = group().makeGateway(server.spec() + "//token-file=" + token);
        assertEquals(42, gw.remoteExec("channel.send(42)").receive(TIMEOUT));
        assertTrue(server.lines().get(0).contains("token required"), server.lines().get(0));
    }

    @Test
    void theRightTokenFromTheTransportsOptionsIsAccepted() throws IOException {
        SocketTransport transport = new SocketTransport(SocketTransportOptions.DEFAULTS.withTokenFile(token));
        Connection connection = transport.open(Spec.parse(server.spec()), List.of());
        try {
            connection.output().write("'import os; clientsock.sendall(b\"1\")'\n".getBytes());
            connection.output().flush();
            assertEquals('1', connection.input().read());
        } finally {
            connection.kill();
        }
        assertFalse(connection.isAlive());
    }

    @Test
    void aWrongTokenIsRefusedWithOneLogLine() throws IOException {
        Path wrong = secret("wrong", "not-the-token");
        GatewayClosedException e = assertThrows(GatewayClosedException.class,
                () -> group().makeGateway(server.spec() + "//token-file=" + wrong));
        assertTrue(e.getMessage().contains("the server at " + server.address() + " refused the token (wrong token)"), e.getMessage());
        server.awaitLine("the refusal", l -> l.contains("refused: wrong token"));
        assertEquals(1, server.count("refused"));
    }

    @Test
    void aMissingTokenIsRefusedBeforeAnyCodeIsRead() {
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> group().makeGateway(server.spec()));
        assertTrue(e.getMessage().contains("the server at " + server.address() + " requires a token"), e.getMessage());
        server.awaitLine("the refusal", l -> l.contains("refused: no token"));
        assertEquals(1, server.count("refused"));
    }

    @Test
    void aTokenForAServerThatAsksForNoneFailsWithinTheHandshakeTimeout() throws Exception {
        ServerProcess open = ourServer();
        SocketTransport transport = new SocketTransport(SocketTransportOptions.DEFAULTS.withTokenFile(token)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500)));
        IOException e = assertThrows(IOException.class, () -> transport.open(Spec.parse(open.spec()), List.of()));
        assertTrue(e.getMessage().contains("did not send its token challenge within"), e.getMessage());
    }

    @Test
    void anUnreadableTokenFileIsNamed() {
        GatewayClosedException e = assertThrows(GatewayClosedException.class,
                () -> group().makeGateway(server.spec() + "//token-file=" + dir.resolve("missing")));
        assertTrue(e.getMessage().contains("cannot read the token file " + dir.resolve("missing")), e.getMessage());
    }
}
