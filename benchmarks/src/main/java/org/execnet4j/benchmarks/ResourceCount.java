package org.execnet4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a soak watches stay flat: this JVM's threads (all, and execnet4j's), open file descriptors and descendant processes. */
record ResourceCount(int threads, int gatewayThreads, long fds, long processes) {

    /** Counts now. */
    static ResourceCount now() {
        int gatewayThreads = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("execnet4j-")).count();
        return new ResourceCount(ManagementFactory.getThreadMXBean().getThreadCount(), gatewayThreads, openFds(),
                ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count());
    }

    /** Counts once things settled: waits up to {@code millis} for the gateway threads and processes to end. */
    static ResourceCount settled(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        ResourceCount count = now();
        while ((count.gatewayThreads > 0 || count.processes > 0) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            count = now();
        }
        return count;
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return String.format("threads %d (execnet4j %d), fds %d, processes %d", threads, gatewayThreads, fds, processes);
    }
}
