package org.execnet4j.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.execnet4j.api.spi.ShellWords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ssh= arguments, the ssh config and options combine, without a server. */
class SshArgsParsingTest {
    @TempDir
    Path dir;

    @Test
    void remoteCommandQuotesArgumentsButNotThePython() {
        assertEquals("env A=1 python3 -u -c 'import sys;exec(eval(sys.stdin.readline()))'",
                ShellWords.commandLine("env A=1 python3", List.of("-u", "-c", "import sys;exec(eval(sys.stdin.readline()))")));
        assertEquals("py -c 'it'\\''s'", ShellWords.commandLine("py", List.of("-c", "it's")));
    }

    @Test
    void refusesRemoteCommandsAndForwarding() {
        SshTransport t = new SshTransport(SshTransportOptions.builder().sshDirectory(dir).noConfigFile().build());
        IOException e = assertThrows(IOException.class,
                () -> t.open(org.execnet4j.api.Spec.parse("ssh=host rm -rf /"), List.of()));
        assertTrue(e.getMessage().contains("more than a host"), e.getMessage());
        e = assertThrows(IOException.class, () -> t.open(org.execnet4j.api.Spec.parse("ssh=-L 1:a:2 host"), List.of()));
        assertTrue(e.getMessage().contains("-L"), e.getMessage());
        e = assertThrows(IOException.class, () -> t.open(org.execnet4j.api.Spec.parse("ssh=-p x host"), List.of()));
        assertTrue(e.getMessage().contains("bad port"), e.getMessage());
        e = assertThrows(IOException.class, () -> t.open(org.execnet4j.api.Spec.parse("ssh=-F /no/such/config host"), List.of()));
        assertTrue(e.getMessage().contains("/no/such/config"), e.getMessage());
        t.close();
    }

    @Test
    void connectionRefusedNamesTheEndpoint() throws Exception {
        int port = SshServers.freePort();
        Path config = dir.resolve("config");
        Files.writeString(config, "Host a\n  HostName 127.0.0.1\n  User bob\n");
        SshTransport t = new SshTransport(SshTransportOptions.builder().sshDirectory(dir).configFile(config).build());
        IOException e = assertThrows(IOException.class,
                () -> t.open(org.execnet4j.api.Spec.parse("ssh=-C -q -o Port=" + port + " a"), List.of()));
        assertTrue(e.getMessage().contains("bob@127.0.0.1:" + port + " (a): cannot connect"), e.getMessage());
        t.close();
    }
}
