package org.execnet4j.rsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.execnet4j.api.Gateway;
import org.execnet4j.testing.OpenSshd;
import org.execnet4j.transport.ssh.SshServers;
import org.execnet4j.transport.ssh.SshTransport;
import org.execnet4j.transport.ssh.SshTransportOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RSync and Pull through an ssh gateway to Debian's sshd, started on a free loopback port. */
class SshSyncTest {
    @TempDir
    Path dir;
    SshServers.OpenSsh sshd;
    SshTransport transport;
    Gateway gw;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(OpenSshd.isInstalled(), "OpenSSH's sshd is not installed");
        Assumptions.assumeTrue("root".equals(SshServers.USER), "the test sshd needs root (it logs in as the JVM's user)");
        SshServers.Key key = SshServers.keygen(dir.resolve("id_user"), "");
        sshd = new SshServers.OpenSsh(dir, key);
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, SshServers.knownHostsLine(sshd.port, sshd.hostKey) + "\n");
        transport = new SshTransport(SshTransportOptions.builder().sshDirectory(dir.resolve("no-ssh-dir"))
                .knownHostsFile(knownHosts).noConfigFile().useAgent(false).identityFile(key.file())
                .authTimeout(SshServers.LOGIN_TIMEOUT).build());
        try {
            gw = SshServers.launch(transport, "ssh=-p " + sshd.port + " " + SshServers.USER + "@127.0.0.1//python="
                    + RemoteFailuresTest.SYSTEM_PYTHON);
        } catch (RuntimeException e) {
            throw new AssertionError("the ssh gateway did not start; sshd's log:\n" + sshd.log(), e);
        }
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.exit(Duration.ofSeconds(5));
        }
        if (transport != null) {
            transport.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void pushAChangeAndPullItBack() throws IOException {
        Path src = dir.resolve("src");
        Trees.sample(src);
        Trees.write(src.resolve("big.bin"), Trees.random(1_000_000, 5), 0644, 1_700_000_000_000L);
        Path dst = dir.resolve("dst");
        TargetResult first = new RSync(src).addTarget(gw, dst.toString()).send().get(0);
        Trees.assertMirrors(src, dst);
        assertEquals(9, first.filesSent());
        assertEquals(0, new RSync(src).addTarget(gw, dst.toString()).send().get(0).filesSent());

        try (RandomAccessFile f = new RandomAccessFile(src.resolve("big.bin").toFile(), "rw")) {
            f.seek(400_000);
            f.write(Trees.random(3_000, 6));
        }
        TargetResult delta = new RSync(src).addTarget(gw, dst.toString()).send().get(0);
        Trees.assertMirrors(src, dst);
        assertTrue(delta.bytesSent() < 30_000, delta.toString());

        Path back = dir.resolve("back");
        TargetResult pulled = RSync.pull(gw, dst.toString(), back).run();
        assertEquals(9, pulled.filesSent());
        Trees.assertMirrors(src, back);
    }
}
