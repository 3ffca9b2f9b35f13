package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vagrant_ssh through a stand-in {@code vagrant} (named by the system property execnet4j.vagrant)
 * that checks its arguments and runs the remote command locally.
 */
class VagrantSshTest {
    private static final String PROPERTY = "execnet4j.vagrant";

    @TempDir
    Path dir;

    private final Group group = Execnet.newGroup("vagrant");

    @AfterEach
    void cleanUp() {
        group.terminate(Duration.ofSeconds(5));
        System.clearProperty(PROPERTY);
    }

    private void standIn() throws Exception {
        Path script = dir.resolve("vagrant");
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "[ \"$1\" = ssh ] || { echo \"vagrant stand-in: expected 'ssh', got '$1'\" >&2; exit 2; }",
                "[ \"$2\" = box1 ] || { echo \"vagrant stand-in: expected machine box1, got '$2'\" >&2; exit 2; }",
                "[ \"$3\" = -- ] && [ \"$4\" = -C ] || { echo \"vagrant stand-in: expected '-- -C', got '$3 $4'\" >&2; exit 2; }",
                "shift 4",
                "config=",
                "if [ \"$1\" = -F ]; then config=\"$2\"; shift 2; fi",
                "[ $# -eq 1 ] || { echo \"vagrant stand-in: expected one remote command, got $#\" >&2; exit 2; }",
                // what the gateway's own call saw, not the later one that compiles the agent in the background
                // (which would truncate the files again while the test reads them)
                "case \"$1\" in *readline*) printf '%s' \"$config\" > " + dir.resolve("config-seen")
                        + "; printf '%s' \"$1\" > " + dir.resolve("command-seen") + ";; esac",
                "exec /bin/sh -c \"$1\"", ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        System.setProperty(PROPERTY, script.toString());
    }

    @Test
    void runsTheRemoteThroughVagrantSsh() throws Exception {
        standIn();
        Gateway gw = group.makeGateway("vagrant_ssh=box1//ssh_config=/etc/vagrant-ssh.cfg//python=python3");
        assertEquals(List.of(1, 2), gw.remoteExec("channel.send([1, 2])").receive(Duration.ofSeconds(20)));
        assertEquals("/etc/vagrant-ssh.cfg", Files.readString(dir.resolve("config-seen")));
        assertEquals("python3 -u -c 'import sys;exec(eval(sys.stdin.readline()))'",
                Files.readString(dir.resolve("command-seen")));
    }

    @Test
    void missingVagrantIsAClearError() {
        System.setProperty(PROPERTY, dir.resolve("no-vagrant").toString());
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> group.makeGateway("vagrant_ssh=box1"));
        assertTrue(e.getMessage().contains("is Vagrant installed"), e.getMessage());
    }
}
