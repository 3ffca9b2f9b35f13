package org.execnet4j.transport.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;

import org.execnet4j.transport.ssh.SshTransportOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport's client acknowledges the server's segments at once where the JDK can (Linux). */
class QuickAckSessionFactoryTest {
    @TempDir
    Path dir;

    @Test
    void theClientsSessionsAcknowledgeAtOnce() {
        OnDemandClient client = new OnDemandClient(SshTransportOptions.builder().sshDirectory(dir).noConfigFile().build());
        try {
            assertInstanceOf(QuickAckSessionFactory.class, client.get().getSessionFactory());
        } finally {
            client.stopNow();
        }
    }

    @Test
    void findsTheOptionOnLinux() {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"));
        assertNotNull(QuickAckSessionFactory.QUICKACK);
    }
}
