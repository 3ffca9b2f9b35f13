package org.execnet4j.transport.ssh;

import static org.execnet4j.transport.ssh.SshServers.LOGIN_TIMEOUT;
import static org.execnet4j.transport.ssh.SshServers.USER;
import static org.execnet4j.transport.ssh.SshServers.assertEcho;
import static org.execnet4j.transport.ssh.SshServers.keygen;
import static org.execnet4j.transport.ssh.SshServers.knownHostsLine;
import static org.execnet4j.transport.ssh.SshServers.launch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.OpenSshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh transport end to end against Debian's OpenSSH sshd, started by the test on a free loopback port. */
class OpenSshServerTest {
    @TempDir
    Path dir;

    SshServers.OpenSsh sshd;
    SshServers.Key userKey;
    Path knownHosts;
    SshTransport transport;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(OpenSshd.isInstalled(), "OpenSSH's sshd is not installed");
        Assumptions.assumeTrue("root".equals(USER), "the test sshd needs root (it logs in as the JVM's user)");
        userKey = keygen(dir.resolve("id_user"), "");
        sshd = new SshServers.OpenSsh(dir, userKey);
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, knownHostsLine(sshd.port, sshd.hostKey) + "\n");
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private SshTransportOptions.Builder options() {
        return SshTransportOptions.builder().sshDirectory(dir.resolve("no-ssh-dir")).knownHostsFile(knownHosts)
                .noConfigFile().useAgent(false).identityFile(userKey.file()).authTimeout(LOGIN_TIMEOUT);
    }

    private String spec() {
        return "ssh=-p " + sshd.port + " " + USER + "@127.0.0.1";
    }

    @Test
    void keyAuthAndOneSharedConnection() throws Exception {
        transport = new SshTransport(options().build());
        Gateway a = launch(transport, spec());
        Gateway b = launch(transport, "ssh=-l " + USER + " -p " + sshd.port + " 127.0.0.1");
        assertEcho(a);
        assertEcho(b);
        assertEquals(1, sshd.connections(), "two gateways, one ssh connection");
        a.exit(Duration.ofSeconds(5));
        assertEcho(b);
        b.exit(Duration.ofSeconds(5));
        Await.await("the connection closes with its last gateway", () -> sshd.connections() == 0);
    }

    @Test
    void moreGatewaysThanTheServerAllowsSessionsPerConnection() throws Exception {
        try (SshServers.OpenSsh limited = new SshServers.OpenSsh(dir, List.of("MaxSessions 2"), userKey)) {
            Files.writeString(knownHosts, knownHostsLine(limited.port, limited.hostKey) + "\n", StandardOpenOption.APPEND);
            transport = new SshTransport(options().build());
            List<Gateway> gateways = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                gateways.add(launch(transport, "ssh=-p " + limited.port + " " + USER + "@127.0.0.1"));
            }
            gateways.forEach(SshServers::assertEcho);
            // 5 sessions at 2 per connection, and perhaps the agent compiler's session beside the first
            long connections = limited.connections();
            assertTrue(connections >= 3 && connections <= 5, "connections: " + connections);
            gateways.forEach(g -> g.exit(Duration.ofSeconds(5)));
            Await.await("every connection closes with its last gateway", () -> limited.connections() == 0);
        }
    }

    @Test
    void unknownHostKeyNamesHostAndFingerprint() throws Exception {
        Files.writeString(knownHosts, "# nothing known\n");
        transport = new SshTransport(options().build());
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> launch(transport, spec()));
        assertTrue(e.getMessage().contains("[127.0.0.1]:" + sshd.port), e.getMessage());
        assertTrue(e.getMessage().contains(sshd.hostKey.fingerprint()), e.getMessage());
    }

    @Test
    void wrongKeyIsAnAuthenticationError() throws Exception {
        SshServers.Key other = keygen(dir.resolve("id_other"), "");
        transport = new SshTransport(SshTransportOptions.builder().sshDirectory(dir.resolve("none")).knownHostsFile(knownHosts)
                .noConfigFile().useAgent(false).identityFile(other.file()).authTimeout(LOGIN_TIMEOUT).build());
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> launch(transport, spec()));
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
    }

    @Test
    void proxyJumpThroughOpenSshToMina() throws Exception {
        try (SshServers.Mina target = new SshServers.Mina(dir)) {
            target.authorize(userKey);
            Files.writeString(knownHosts, knownHostsLine(target.port(), target.hostKey) + "\n", java.nio.file.StandardOpenOption.APPEND);
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, String.join("\n",
                    "Host jump",
                    "  HostName 127.0.0.1",
                    "  Port " + sshd.port,
                    "  User " + USER,
                    "Host inner",
                    "  HostName 127.0.0.1",
                    "  Port " + target.port(),
                    "  User " + USER,
                    "  ProxyJump jump", ""));
            transport = new SshTransport(options().configFile(config).build());
            Gateway a = launch(transport, "ssh=inner");
            Gateway b = launch(transport, "ssh=inner");
            assertEcho(a);
            assertEcho(b);
            assertEquals(1, target.sessions());
            assertEquals(1, sshd.connections());
            a.exit(Duration.ofSeconds(5));
            b.exit(Duration.ofSeconds(5));
            Await.await("both connections close with the last gateway", () -> target.sessions() == 0 && sshd.connections() == 0);
            // -J on the command line works the same way
            Gateway c = launch(transport, "ssh=-J " + USER + "@127.0.0.1:" + sshd.port + " -p " + target.port() + " " + USER + "@127.0.0.1");
            assertEcho(c);
            c.exit(Duration.ofSeconds(5));
        }
    }

    @Test
    void killedServerWakesWaiters() throws Exception {
        transport = new SshTransport(options().build());
        SshServers.assertWaiterWakesWhen(launch(transport, spec()), sshd::kill);
    }

    @Test
    void missingInterpreter() {
        transport = new SshTransport(options().build());
        GatewayClosedException e = assertThrows(GatewayClosedException.class,
                () -> launch(transport, spec() + "//python=/opt/no/python3"));
        assertTrue(e.getMessage().contains("/opt/no/python3"), e.getMessage());
        assertTrue(e.getMessage().contains("exit code 127"), e.getMessage());
    }
}
