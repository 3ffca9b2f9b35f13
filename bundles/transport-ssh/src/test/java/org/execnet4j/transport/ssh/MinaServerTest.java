package org.execnet4j.transport.ssh;

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
import java.time.Duration;
import java.util.List;


import org.apache.sshd.common.kex.KexProposalOption;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.PyTuple;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh transport end to end against MINA SSHD's server in this JVM, with a real Python agent. */
class MinaServerTest {
    @TempDir
    Path dir;

    SshServers.Mina server;
    SshServers.Key userKey;
    Path knownHosts;
    SshTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = new SshServers.Mina(dir);
        userKey = keygen(dir.resolve("id_user"), "");
        server.authorize(userKey);
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, knownHostsLine(server.port(), server.hostKey) + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (transport != null) {
            transport.close();
        }
        server.close();
    }

    private SshTransportOptions.Builder options() {
        return SshTransportOptions.builder().sshDirectory(dir.resolve("no-ssh-dir")).knownHostsFile(knownHosts)
                .noConfigFile().useAgent(false).identityFile(userKey.file());
    }

    private String spec() {
        return "ssh=-p " + server.port() + " " + USER + "@127.0.0.1";
    }

    private GatewayClosedException failure(SshTransportOptions options, String spec) {
        transport = new SshTransport(options);
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> launch(transport, spec));
        return e;
    }

    /** The stage the transport's typed failure names, found in the gateway failure's causes. */
    static SshTransportException.Stage stage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SshTransportException failure) {
                return failure.stage();
            }
        }
        throw new AssertionError("no SshTransportException among the causes of " + e, e);
    }

    @Test
    void keyAuthenticationRunsTheAgent() {
        transport = new SshTransport(options().build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        assertEquals("python3 -u -c 'import sys;exec(eval(sys.stdin.readline()))'", server.commands.get(0));
        gw.exit(Duration.ofSeconds(5));
    }

    @Test
    void chdirAndEnvApplyRemotely() {
        transport = new SshTransport(options().build());
        Gateway gw = launch(transport, spec() + "//chdir=/tmp//env:EXECNET4J_T=x y");
        Channel ch = gw.remoteExec("import os; channel.send((os.getcwd(), os.environ['EXECNET4J_T']))");
        assertEquals(PyTuple.of("/tmp", "x y"), ch.receive(Duration.ofSeconds(10)));
        gw.exit(Duration.ofSeconds(5));
    }

    @Test
    void wrongKeyFailsNamingWhatWasTried() throws Exception {
        SshServers.Key other = keygen(dir.resolve("id_other"), "");
        GatewayClosedException e = failure(SshTransportOptions.builder().sshDirectory(dir.resolve("none"))
                .knownHostsFile(knownHosts).noConfigFile().useAgent(false).identityFile(other.file()).build(), spec());
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains(other.file().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(USER + "@127.0.0.1:" + server.port()), e.getMessage());
        assertEquals(SshTransportException.Stage.AUTHENTICATION, stage(e));
    }

    @Test
    void nothingListeningIsAConnectFailure() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        GatewayClosedException e = failure(options().build(), "ssh=-p " + closedPort + " " + USER + "@127.0.0.1");
        assertEquals(SshTransportException.Stage.CONNECT, stage(e));
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
    }

    @Test
    void aHostKeyVerifierOfTheUsersDecidesInsteadOfKnownHosts() throws Exception {
        Files.writeString(knownHosts, "");
        String expected = server.hostKey.fingerprint();
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        transport = new SshTransport(options().hostKeyVerifier((host, key) -> {
            asked.add(host);
            return org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(key).equals(expected);
        }).build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
        assertEquals(java.util.List.of("[127.0.0.1]:" + server.port()), asked);
        assertEquals("", Files.readString(knownHosts), "a verifier's decision is not recorded in known_hosts");

        transport.close();
        Files.writeString(knownHosts, knownHostsLine(server.port(), server.hostKey) + "\n");
        GatewayClosedException e = failure(options().hostKeyVerifier((host, key) -> false).build(), spec());
        assertEquals(SshTransportException.Stage.HOST_KEY, stage(e));
        assertTrue(e.getMessage().contains("configured host-key verifier refused"), e.getMessage());
    }

    @Test
    void unknownHostKeyFailsWithItsFingerprint() throws Exception {
        Files.writeString(knownHosts, "");
        GatewayClosedException e = failure(options().build(), spec());
        String m = e.getMessage();
        assertTrue(m.contains("[127.0.0.1]:" + server.port()), m);
        assertTrue(m.contains(server.hostKey.fingerprint()), m);
        assertTrue(m.contains("not in " + knownHosts), m);
        assertEquals("", Files.readString(knownHosts), "strict checking must not record the key");
        assertEquals(SshTransportException.Stage.HOST_KEY, stage(e));
    }

    @Test
    void changedHostKeyFailsEvenWithAcceptNew() throws Exception {
        SshServers.Key impostor = keygen(dir.resolve("impostor"), "");
        Files.writeString(knownHosts, knownHostsLine(server.port(), impostor) + "\n");
        GatewayClosedException e = failure(options().build(), spec() .replace("ssh=", "ssh=-o StrictHostKeyChecking=accept-new "));
        String m = e.getMessage();
        assertTrue(m.contains("HOST KEY HAS CHANGED"), m);
        assertTrue(m.contains(server.hostKey.fingerprint()), m);
        assertTrue(m.contains(impostor.fingerprint()), m);
    }

    @Test
    void acceptNewRecordsTheKeyAndTrustsItLater() throws Exception {
        Files.delete(knownHosts);
        transport = new SshTransport(options().build());
        Gateway gw = launch(transport, "ssh=-o StrictHostKeyChecking=accept-new -p " + server.port() + " " + USER + "@127.0.0.1");
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
        String recorded = Files.readString(knownHosts);
        assertTrue(recorded.startsWith("[127.0.0.1]:" + server.port() + " ecdsa-sha2-nistp256 "), recorded);
        transport.close();
        transport = new SshTransport(options().build());
        Gateway strict = launch(transport, spec());
        assertEcho(strict);
        strict.exit(Duration.ofSeconds(5));
    }

    @Test
    void pinnedFingerprintReplacesKnownHosts() throws Exception {
        Files.writeString(knownHosts, "");
        transport = new SshTransport(options().pinHostKey("[127.0.0.1]:" + server.port(), server.hostKey.fingerprint()).build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
        GatewayClosedException e = failure(options()
                .pinHostKey("[127.0.0.1]:" + server.port(), "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").build(), spec());
        assertTrue(e.getMessage().contains("not one of the pinned"), e.getMessage());
    }

    @Test
    void hostKeyCheckingOffIsAnExplicitOption() throws Exception {
        Files.writeString(knownHosts, "");
        transport = new SshTransport(options().hostKeyChecking(HostKeyChecking.OFF).build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
        // the spec cannot turn checks off: "no" only means accept-new, which records the key
        transport.close();
        transport = new SshTransport(options().build());
        Gateway gw2 = launch(transport, spec().replace("ssh=", "ssh=-o StrictHostKeyChecking=no "));
        gw2.exit(Duration.ofSeconds(5));
        assertTrue(Files.readString(knownHosts).contains("[127.0.0.1]:" + server.port()));
    }

    @Test
    void sshConfigAliasWithIdentityFile() throws Exception {
        Path config = dir.resolve("ssh_config");
        Files.writeString(config, String.join("\n",
                "Host box",
                "  HostName 127.0.0.1",
                "  Port " + server.port(),
                "  User " + USER,
                "  IdentityFile " + userKey.file(),
                "  IdentitiesOnly yes", ""));
        transport = new SshTransport(SshTransportOptions.builder().sshDirectory(dir.resolve("none"))
                .knownHostsFile(knownHosts).noConfigFile().useAgent(false).build());
        Gateway gw = launch(transport, "ssh=-F " + config + " box");
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
        Gateway gw2 = launch(transport, "ssh=box//ssh_config=" + config);
        assertEcho(gw2);
        gw2.exit(Duration.ofSeconds(5));
    }

    @Test
    void unparsableConfigIsAWarningNotAFailure() throws Exception {
        Path config = dir.resolve("bad_config");
        Files.writeString(config, "Host *\n  Port not-a-number\n");
        transport = new SshTransport(options().configFile(config).build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
    }

    /** A gateway with these options works, and its connection negotiated {@code expected}. */
    private void assertNegotiates(SshTransportOptions options, String expected) {
        transport = new SshTransport(options);
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        assertEquals(expected, server.server.getActiveSessions().get(0)
                .getNegotiatedKexParameter(KexProposalOption.ALGORITHMS));
        gw.exit(Duration.ofSeconds(5));
    }

    @Test
    void postQuantumMlKemIsPreferredWhenTheServerOffersIt() {
        assertNegotiates(options().build(), "mlkem768x25519-sha256");
    }

    @Test
    void keyExchangesChooseWhatIsOffered() {
        assertNegotiates(options().keyExchanges(List.of("curve25519-sha256")).build(), "curve25519-sha256");
    }

    @Test
    void anUnknownKeyExchangeIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options().keyExchanges(List.of("curve25519-sha256", "curve25519-md5")));
        assertTrue(e.getMessage().contains("'curve25519-md5' is unknown"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> options().keyExchanges(List.of()));
    }

    @Test
    void gatewaysToOneHostShareOneConnection() throws Exception {
        transport = new SshTransport(options().build());
        Gateway a = launch(transport, spec());
        Gateway b = launch(transport, spec());
        assertEcho(a);
        assertEcho(b);
        assertEquals(1, server.sessions());
        assertEquals(1, transport.openConnections());
        a.exit(Duration.ofSeconds(5));
        assertEcho(b);
        assertEquals(1, server.sessions());
        b.exit(Duration.ofSeconds(5));
        Await.await("the connection closes with its last gateway",
                () -> server.sessions() == 0 && transport.openConnections() == 0);
        Gateway c = launch(transport, spec());
        assertEcho(c);
        c.exit(Duration.ofSeconds(5));
    }

    @Test
    void serverGoneWakesWaitersQuickly() throws Exception {
        transport = new SshTransport(options().build());
        Gateway gw = launch(transport, spec());
        SshServers.assertWaiterWakesWhen(gw, server::close);
        assertTrue(!gw.isAlive());
    }

    @Test
    void missingInterpreterIsAClearError() {
        GatewayClosedException e = failure(options().build(), spec() + "//python=python9.99");
        String m = e.getMessage();
        assertTrue(m.contains("python9.99"), m);
        assertTrue(m.contains("not found"), m);
    }

    @Test
    void encryptedKeyNeedsTheCallersPassphrase() throws Exception {
        SshServers.Key locked = keygen(dir.resolve("id_locked"), "s3cret phrase");
        server.authorized.clear();
        server.authorize(locked);
        SshTransportOptions.Builder base = SshTransportOptions.builder().sshDirectory(dir.resolve("none"))
                .knownHostsFile(knownHosts).noConfigFile().useAgent(false).identityFile(locked.file());
        GatewayClosedException e = failure(base.build(), spec());
        assertTrue(e.getMessage().contains("skipped"), e.getMessage());
        transport.close();
        transport = new SshTransport(base.passphrase("s3cret phrase").build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
    }

    @Test
    void passwordOnlyWhenGiven() throws Exception {
        server.authorized.clear();
        server.password = "pw-123";
        SshTransportOptions.Builder base = SshTransportOptions.builder().sshDirectory(dir.resolve("none"))
                .knownHostsFile(knownHosts).noConfigFile().useAgent(false);
        GatewayClosedException e = failure(base.build(), spec());
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        transport.close();
        transport = new SshTransport(base.password("pw-123").build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
    }

    @Test
    void defaultKeysComeFromTheSshDirectory() throws Exception {
        Path sshDir = Files.createDirectories(dir.resolve("home-ssh"));
        Files.copy(userKey.file(), sshDir.resolve("id_ecdsa"));
        transport = new SshTransport(SshTransportOptions.builder().sshDirectory(sshDir).knownHostsFile(knownHosts)
                .useAgent(false).build());
        Gateway gw = launch(transport, spec());
        assertEcho(gw);
        gw.exit(Duration.ofSeconds(5));
    }
}
