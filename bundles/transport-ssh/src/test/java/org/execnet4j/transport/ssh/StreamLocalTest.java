package org.execnet4j.transport.ssh;

import static org.execnet4j.transport.ssh.SshServers.LOGIN_TIMEOUT;
import static org.execnet4j.transport.ssh.SshServers.USER;
import static org.execnet4j.transport.ssh.SshServers.keygen;
import static org.execnet4j.transport.ssh.SshServers.knownHostsLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.spi.ByteStream;
import org.execnet4j.testing.OpenSshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams to Unix domain sockets on the ssh server ({@code direct-streamlocal@openssh.com}),
 * against Debian's OpenSSH sshd on a loopback port (so the socket, made by this test, is on the
 * server's machine): the first stream on a connection waits for the server's answer (a refusal
 * then is "not at all"), later ones are handed out at once and answer on their first read or
 * write, also with the server's refusal.
 */
class StreamLocalTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SshServers.OpenSsh sshd;
    private SshTransport transport;
    private Connection command;
    private ServerSocketChannel server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(OpenSshd.isInstalled(), "OpenSSH's sshd is not installed");
        Assumptions.assumeTrue("root".equals(USER), "the test sshd needs root (it logs in as the JVM's user)");
        SshServers.Key userKey = keygen(dir.resolve("id_user"), "");
        sshd = new SshServers.OpenSsh(dir, userKey);
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, knownHostsLine(sshd.port, sshd.hostKey) + "\n");
        transport = new SshTransport(SshTransportOptions.builder().sshDirectory(dir.resolve("no-ssh-dir"))
                .knownHostsFile(knownHosts).noConfigFile().useAgent(false).identityFile(userKey.file())
                .authTimeout(LOGIN_TIMEOUT).build());
        // a remote command that runs until its stdin ends: the connection the streams go over
        command = transport.open(Spec.parse("ssh=-p " + sshd.port + " " + USER + "@127.0.0.1"),
                List.of("-c", "import sys; sys.stdin.read()"));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (command != null) {
            command.kill();
        }
        if (transport != null) {
            transport.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    /** A Unix socket in the test's directory that answers each connection with "hello <n>" and closes it. */
    private Path listen(int connections) throws IOException {
        Path path = dir.resolve("s");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= connections; i++) {
                try (SocketChannel client = server.accept()) {
                    client.write(ByteBuffer.wrap(("hello " + i + "\n").getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return path;
    }

    private ByteStream open(Path path) throws IOException {
        Optional<ByteStream> stream = transport.openUnixSocket(command, path.toString(), false, TIMEOUT);
        assertTrue(stream.isPresent(), "the server forwards Unix domain sockets");
        return stream.get();
    }

    @Test
    void streamsOpenedInARowReachTheSocketInTheirOrder() throws Exception {
        Path socket = listen(3);
        ByteStream first = open(socket);
        ByteStream second = open(socket);   // handed out before the server answered
        ByteStream third = open(socket);
        assertArrayEquals("hello 1\n".getBytes(StandardCharsets.US_ASCII), first.input().readAllBytes());
        assertArrayEquals("hello 2\n".getBytes(StandardCharsets.US_ASCII), second.input().readAllBytes());
        assertArrayEquals("hello 3\n".getBytes(StandardCharsets.US_ASCII), third.input().readAllBytes());
        List.of(first, second, third).forEach(ByteStream::close);
    }

    @Test
    void aLaterStreamTheServerRefusesFailsOnItsFirstUse() throws Exception {
        Path socket = listen(1);
        ByteStream first = open(socket);
        assertEquals('h', first.input().read());
        ByteStream missing = open(dir.resolve("no-such-socket"));    // handed out at once
        IOException read = assertThrows(IOException.class, () -> missing.input().read());
        assertTrue(read.getMessage().contains("no-such-socket"), read.getMessage());
        assertThrows(IOException.class, () -> missing.output().write(1));
        missing.close();
        first.close();
    }

    @Test
    void theFirstStreamOnAConnectionThatTheServerRefusesIsNone() throws Exception {
        assertEquals(Optional.empty(), transport.openUnixSocket(command, dir.resolve("none").toString(), false, TIMEOUT),
                "the first refusal says the server does not forward such streams");
    }
}
