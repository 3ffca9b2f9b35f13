package org.execnet4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Process checks for tests that count processes. */
final class Processes {
    private Processes() {
    }

    /**
     * Whether the process still runs: orphans that exited stay zombies until the machine's init
     * reaps them, which ProcessHandle counts as alive.
     */
    static boolean isRunning(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        String text;
        try {
            text = Files.readString(stat);
        } catch (NoSuchFileException e) {
            return false;
        }
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }

}
