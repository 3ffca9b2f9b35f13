package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Group;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * The short version of the soak (benchmarks/run.sh soak): gateways created, used and
 * terminated one after the other leave this JVM's gateway threads, file descriptors and child
 * processes where they were (threads and processes of other tests' groups, such as the default group's
 * warm interpreter and its two reader threads, which live as long as the JVM, are left out).
 */
class GatewayChurnTest {
    private static final int CYCLES = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void createAndTerminateCyclesLeaveThreadsFdsAndProcessesFlat() throws Exception {
        List<Long> others = descendants();
        Set<Thread> otherThreads = gatewayThreads();
        cycle(); // warm-up: classes, the agent compiler
        Await.await("the warm-up's processes to end", () -> others.containsAll(descendants()));
        long fdsBefore = openFds();
        for (int i = 0; i < CYCLES; i++) {
            cycle();
        }
        Await.await("the gateway threads to end", () -> otherThreads.containsAll(gatewayThreads()));
        assertTrue(others.containsAll(descendants()), "child processes left: " + descendants());
        Await.await("the file descriptors to be released", () -> openFds() <= fdsBefore);
    }

    private static void cycle() {
        try (Group group = Execnet.newGroup("churn")) {
            Channel ch = group.makeGateway(GroupTest.POPEN).remoteExec("channel.send(channel.receive() + 1)");
            ch.send(1);
            assertEquals(2, ch.receive(TIMEOUT));
        }
    }

    /** This JVM's live gateway threads (as objects: other groups' threads have the same names as this test's). */
    private static Set<Thread> gatewayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("execnet4j-"))
                .collect(Collectors.toSet());
    }

    private static List<Long> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot count file descriptors", e);
        }
    }
}
