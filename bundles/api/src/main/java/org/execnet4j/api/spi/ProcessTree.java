package org.execnet4j.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A process's descendants as {@code /proc} shows them, found by walking down from it: each of its
 * threads' {@code children} file ({@code /proc/PID/task/TID/children}) names the processes that
 * thread forked, and each child's {@code stat} its parent and start time (so a pid that was reused
 * meanwhile is not taken for the child that had it). A walk reads a few small files per process
 * it passes, not one per process on the machine. What is forked during a walk may be missed, as
 * it may be by a caller that looked a moment earlier. Without those files (not Linux, or a kernel
 * without them) callers ask {@link ProcessHandle#descendants()} instead.
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final boolean AVAILABLE = Files.isReadable(
            PROC.resolve(ProcessHandle.current().pid() + "/task/" + ProcessHandle.current().pid() + "/children"));
    private static final int STAT_BYTES = 1024;

    private ProcessTree() {
    }

    /** Whether this machine shows each thread's children in {@code /proc}. */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * The descendants of a process with their start times (in clock ticks since boot), parents
     * before their children; empty if it is gone.
     *
     * @param pid the process
     */
    static Map<Long, Long> descendantsOf(long pid) {
        Map<Long, Long> found = new LinkedHashMap<>();
        byte[] buffer = new byte[STAT_BYTES];
        ArrayDeque<Long> parents = new ArrayDeque<>();
        parents.add(pid);
        while (!parents.isEmpty()) {
            long parent = parents.poll();
            for (long child : childrenOf(parent)) {
                long[] stat = parentAndStart(child, buffer);
                // a child that ended (and whose pid another process took) since its parent listed it is skipped
                if (stat != null && stat[0] == parent && child != pid && found.putIfAbsent(child, stat[1]) == null) {
                    parents.add(child);
                }
            }
        }
        return found;
    }

    /** The start time of a running process (clock ticks since boot), if it runs. */
    static Optional<Long> startTime(long pid) {
        long[] stat = parentAndStart(pid, new byte[STAT_BYTES]);
        return stat == null ? Optional.empty() : Optional.of(stat[1]);
    }

    /** The pids in the children files of all of a process's threads (none once it is gone). */
    private static long[] childrenOf(long pid) {
        long[] children = new long[8];
        int count = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid + "/task"))) {
            for (Path task : tasks) {
                byte[] text;
                try {
                    text = Files.readAllBytes(task.resolve("children"));
                } catch (IOException e) {
                    continue;   // the thread ended meanwhile
                }
                long value = -1;
                for (int i = 0; i <= text.length; i++) {
                    byte b = i < text.length ? text[i] : (byte) ' ';
                    if (b >= '0' && b <= '9') {
                        value = (value < 0 ? 0 : value * 10) + (b - '0');
                    } else if (value >= 0) {
                        if (count == children.length) {
                            children = Arrays.copyOf(children, 2 * count);
                        }
                        children[count++] = value;
                        value = -1;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or unreadable: nothing known below it
        }
        return Arrays.copyOf(children, count);
    }

    /** {ppid, starttime} from /proc/PID/stat ("pid (comm) state ppid ... starttime" is field 22), or null if it is gone or a zombie. */
    private static long[] parentAndStart(long pid, byte[] buffer) {
        int n;
        try (InputStream in = Files.newInputStream(PROC.resolve(pid + "/stat"))) {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            return null;    // it ended meanwhile
        }
        int close = n - 1;
        while (close >= 0 && buffer[close] != ')') {
            close--;
        }
        long[] fields = new long[20];
        int field = 0;
        for (int i = close + 2; i < n && field < fields.length; i++) {
            byte b = buffer[i];
            if (b == ' ') {
                field++;
            } else if (b >= '0' && b <= '9') {
                fields[field] = fields[field] * 10 + (b - '0');
            }
        }
        // fields[0] is the state (field 3), fields[1] the ppid (4), fields[19] the start time (22)
        return close >= 0 && field >= 19 && buffer[close + 2] != 'Z' ? new long[] {fields[1], fields[19]} : null;
    }
}
