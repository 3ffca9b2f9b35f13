package org.execnet4j.transport.socket;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;

/**
 * What a test may leave behind: nothing. No process descending from this JVM (orphaned forked
 * gateway processes of our servers are re-parented, so their pids are checked too) and no
 * listening TCP socket held by this JVM or one of them.
 */
final class Leftovers {
    private static final String LISTEN = "0A";

    private Leftovers() {
    }

    /** Waits (bounded) until no process of ours runs and no socket of ours listens. */
    static void assertNothingLeft(Set<Long> knownPids) {
        Await.await("no process or listening socket of ours left: " + describe(knownPids),
                () -> describe(knownPids).isEmpty(), Duration.ofSeconds(30));
    }

    /** Processes of ours that run, and listening sockets of ours; empty when nothing is left. */
    static String describe(Set<Long> knownPids) {
        Set<Long> running = new HashSet<>();
        ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(PythonProcesses::isRunning).forEach(running::add);
        knownPids.stream().filter(PythonProcesses::isRunning).forEach(running::add);
        Set<String> listening = listeningInodes();
        List<String> ours = socketInodes(ProcessHandle.current().pid()).stream().filter(listening::contains).toList();
        StringBuilder out = new StringBuilder();
        if (!running.isEmpty()) {
            out.append("processes ").append(running.stream().map(p -> p + " " + commandOf(p)).collect(Collectors.joining(", ")));
        }
        for (long pid : running) {
            socketInodes(pid).stream().filter(listening::contains).forEach(i -> out.append("; pid ").append(pid).append(" listens"));
        }
        if (!ours.isEmpty()) {
            out.append("; this JVM listens on sockets ").append(ours);
        }
        return out.toString();
    }

    private static String commandOf(long pid) {
        try {
            return "(" + Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').strip() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return inodes;
    }

    private static Set<String> listeningInodes() {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals(LISTEN)) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no such table (no IPv6)
            }
        }
        return inodes;
    }
}
