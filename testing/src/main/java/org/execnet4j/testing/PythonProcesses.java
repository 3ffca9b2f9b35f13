package org.execnet4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Counts the Python interpreters below one process (this JVM, or a server it started), so a test
 * checks its own processes, not those other tests on the machine run at the same time.
 */
public final class PythonProcesses {
    private PythonProcesses() {
    }

    /**
     * The live Python processes that descend from {@code root}.
     *
     * @param root the process whose descendants are looked at
     * @return their process ids, in no particular order
     */
    public static List<Long> below(ProcessHandle root) {
        return root.descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(PythonProcesses::isPython).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /**
     * The live Python processes that descend from this JVM.
     *
     * @return their process ids
     */
    public static List<Long> ofThisJvm() {
        return below(ProcessHandle.current());
    }

    /**
     * Whether a process still runs: an exited orphan stays a zombie until init reaps it, which
     * {@link ProcessHandle#isAlive()} counts as alive.
     *
     * @param pid the process id
     * @return false once it exited, zombie or gone
     */
    public static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException goneMeanwhile) {
            return false;
        }
    }

    private static boolean isPython(String command) {
        String file = command.substring(command.lastIndexOf('/') + 1);
        return file.startsWith("python") || file.startsWith("pypy");
    }
}
