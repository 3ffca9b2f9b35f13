package org.execnet4j.transport.ssh;

import static org.execnet4j.transport.ssh.SshServers.USER;
import static org.execnet4j.transport.ssh.SshServers.assertEcho;
import static org.execnet4j.transport.ssh.SshServers.keygen;
import static org.execnet4j.transport.ssh.SshServers.knownHostsLine;
import static org.execnet4j.transport.ssh.SshServers.launch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.execnet4j.testing.Await;

/** A connection that goes silent (no FIN, no RST) is found dead by keepalives; ssh-agent keys authenticate. */
class DroppedConnectionTest {
    @TempDir
    Path dir;

    /** A loopback TCP forwarder that can stop forwarding while keeping both sockets open (a black hole). */
    static final class FreezableProxy implements AutoCloseable {
        final ServerSocket listener;
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        volatile boolean frozen;

        FreezableProxy(int targetPort) throws IOException {
            listener = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = listener.accept();
                        Socket server = new Socket("127.0.0.1", targetPort);
                        sockets.add(client);
                        sockets.add(server);
                        pump(client, server);
                        pump(server, client);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "test-proxy-accept");
            accept.setDaemon(true);
            accept.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!frozen) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "test-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void silentConnectionIsNoticedWithinTheKeepaliveWindow() throws Exception {
        SshServers.Key userKey = keygen(dir.resolve("id_user"), "");
        try (SshServers.Mina server = new SshServers.Mina(dir).authorize(userKey);
                FreezableProxy proxy = new FreezableProxy(server.port())) {
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, knownHostsLine(proxy.port(), server.hostKey) + "\n");
            try (SshTransport transport = new SshTransport(SshTransportOptions.builder().sshDirectory(dir.resolve("none"))
                    .knownHostsFile(knownHosts).noConfigFile().useAgent(false).identityFile(userKey.file())
                    .keepalive(Duration.ofMillis(300), 3).build())) {
                Gateway gw = launch(transport, "ssh=-p " + proxy.port() + " " + USER + "@127.0.0.1");
                assertEcho(gw);
                SshServers.assertWaiterWakesWhen(gw, () -> proxy.frozen = true);
                Await.await("the dead connection leaves the pool", () -> transport.openConnections() == 0);
            }
        }
    }

    @Test
    void sshAgentKeysAuthenticate() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-agent")), "no ssh-agent installed");
        SshServers.Key userKey = keygen(dir.resolve("id_agent"), "");
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("/usr/bin/ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try (SshServers.Mina server = new SshServers.Mina(dir).authorize(userKey)) {
            Await.await("the ssh-agent's socket", () -> Files.exists(socket));
            ProcessBuilder add = new ProcessBuilder("ssh-add", userKey.file().toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process p = add.start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            Files.delete(userKey.file());
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, knownHostsLine(server.port(), server.hostKey) + "\n");
            try (SshTransport transport = new SshTransport(SshTransportOptions.builder().sshDirectory(dir.resolve("none"))
                    .knownHostsFile(knownHosts).noConfigFile().agentSocket(socket).build())) {
                Gateway gw = launch(transport, "ssh=-p " + server.port() + " " + USER + "@127.0.0.1");
                assertEcho(gw);
                gw.exit(Duration.ofSeconds(5));
            }
        } finally {
            agent.destroyForcibly();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
