package org.execnet4j.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The parent of every process on this machine, read from {@code /proc} in one pass, with each
 * process's start time (so a reused pid is not taken for its predecessor). A pass reads a file per
 * process, milliseconds of CPU on a busy machine: callers that ask at about the same time (a
 * group's gateways that exit together, each asking before and after it says farewell) share one
 * pass, which began at most {@link #FRESH_ENOUGH_NANOS} before they asked; what it misses is what
 * started in that moment, as a caller that had asked a moment earlier would have missed it. Without
 * {@code /proc} (not Linux) there is no table, and callers ask {@link ProcessHandle#descendants()}
 * instead.
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final boolean AVAILABLE = Files.isReadable(PROC.resolve("self/stat"));
    /** How long before a call a pass may have begun and still serve it. */
    static final long FRESH_ENOUGH_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Object PASS = new Object();
    /** The last pass; guarded by {@link #PASS}. */
    private static ProcessTree latest;

    private final long startedNanos;
    /** pid -> {parent pid, start time in clock ticks since boot}. */
    private final Map<Long, long[]> processes;
    /** parent pid -> its children's pids, made once per pass for all the callers that share it. */
    private final Map<Long, List<Long>> children = new HashMap<>();

    private ProcessTree(long startedNanos, Map<Long, long[]> processes) {
        this.startedNanos = startedNanos;
        this.processes = processes;
        processes.forEach((child, entry) -> children.computeIfAbsent(entry[0], p -> new ArrayList<>()).add(child));
    }

    /** Whether this machine has a {@code /proc} to read the table from. */
    static boolean available() {
        return AVAILABLE;
    }

    /** A table read by a pass that began at most {@link #FRESH_ENOUGH_NANOS} before this call (one running is waited for). */
    static ProcessTree recent() {
        return since(System.nanoTime() - FRESH_ENOUGH_NANOS);
    }

    /** A table read by a pass that began after this call did (one running is waited for, then another made). */
    static ProcessTree now() {
        return since(System.nanoTime());
    }

    private static ProcessTree since(long oldestUsable) {
        synchronized (PASS) {
            if (latest == null || latest.startedNanos - oldestUsable < 0) {
                latest = read();
            }
            return latest;
        }
    }

    /** The start time of a process in the table, if it is in it. */
    Optional<Long> startTime(long pid) {
        long[] entry = processes.get(pid);
        return entry == null ? Optional.empty() : Optional.of(entry[1]);
    }

    /**
     * The pids of a process's descendants (children that started no earlier than their parent, so
     * not a stranger that took the pid of a parent that ended).
     *
     * @param pid the process
     */
    Set<Long> descendantsOf(long pid) {
        Set<Long> found = new LinkedHashSet<>();
        ArrayDeque<Long> parents = new ArrayDeque<>(List.of(pid));
        while (!parents.isEmpty()) {
            long parent = parents.pop();
            long parentStart = processes.getOrDefault(parent, new long[] {0, 0})[1];
            for (long child : children.getOrDefault(parent, List.of())) {
                if (processes.get(child)[1] >= parentStart && child != pid && found.add(child)) {
                    parents.push(child);
                }
            }
        }
        return found;
    }

    private static ProcessTree read() {
        long started = System.nanoTime();
        Map<Long, long[]> processes = new HashMap<>();
        byte[] buffer = new byte[1024];
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    long[] parentAndStart = parentAndStart(entry.resolve("stat"), buffer);
                    if (parentAndStart != null) {
                        processes.put(Long.parseLong(name), parentAndStart);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable /proc: an empty table, nobody's descendants are known
        }
        return new ProcessTree(started, processes);
    }

    /** {ppid, starttime} from /proc/PID/stat ("pid (comm) state ppid ... starttime" is field 22), or null if it is gone. */
    private static long[] parentAndStart(Path stat, byte[] buffer) {
        int n;
        try (InputStream in = Files.newInputStream(stat)) {
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
        return field >= 19 && buffer[close + 2] != 'Z' ? new long[] {fields[1], fields[19]} : null;
    }
}
