package org.execnet4j.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.execnet4j.testing.PythonProcesses;

/** Signals and process checks for tests that stop, kill or count the processes they start. */
final class LocalProcesses {
    private LocalProcesses() {
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, {@code KILL}) to a process. */
    static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -s " + name + " " + pid + " failed");
        }
    }

    /** Waits until the process is gone; false if it still runs after {@code timeout}. */
    static boolean gone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (PythonProcesses.isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** The pids of this JVM's descendants whose command line contains {@code word}. */
    static List<Long> descendantsRunning(String word) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(word)).orElse(false))
                .filter(p -> PythonProcesses.isRunning(p.pid()))
                .map(ProcessHandle::pid)
                .toList();
    }
}
