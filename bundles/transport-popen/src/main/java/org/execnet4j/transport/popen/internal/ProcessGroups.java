package org.execnet4j.transport.popen.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Process groups on Linux: whether a process leads its own group (our agent calls
 * {@code setsid()}, so it does and everything remote code starts is in it), and killing such a
 * group with {@code kill -s KILL -- -PGID}. Elsewhere (no {@code /proc}) nothing leads a group
 * and only the process and its descendants are killed.
 */
final class ProcessGroups {
    private static final Path KILL = Path.of("/bin/kill");
    private static final long KILL_WAIT_SECONDS = 2;

    private ProcessGroups() {
    }

    /** Whether the process runs and its process group id is its own pid. */
    static boolean leadsGroup(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return false;
        }
        // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, the last ')' ends it
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return fields.length > 2 && !fields[0].equals("Z") && fields[2].equals(Long.toString(pid));
    }

    /** Sends SIGKILL to every process of the group {@code pgid}; quietly nothing when it has none left. */
    static void kill(long pgid) {
        if (!Files.isExecutable(KILL)) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(KILL.toString(), "-s", "KILL", "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // no way to signal the group: the process and its descendants are still killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
