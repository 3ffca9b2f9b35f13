package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Group;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * The short version of the soak (benchmarks/run.sh soak): gateways created, used and
 * terminated one after the other leave this JVM's gateway threads, file descriptors and child
 * processes where they were.
 */
class GatewayChurnTest {
    private static final int CYCLES = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void createAndTerminateCyclesLeaveThreadsFdsAndProcessesFlat() throws Exception {
        cycle(); // warm-up: classes, the agent compiler
        Await.await("the warm-up's processes to end", () -> children() == 0);
        long fdsBefore = openFds();
        for (int i = 0; i < CYCLES; i++) {
            cycle();
        }
        Await.await("the gateway threads to end", () -> TerminationTest.gatewayThreads().isEmpty());
        assertEquals(0, children(), "child processes left");
        Await.await("the file descriptors to be released", () -> openFds() <= fdsBefore);
    }

    private static void cycle() {
        try (Group group = Execnet.newGroup("churn")) {
            Channel ch = group.makeGateway(GroupTest.POPEN).remoteExec("channel.send(channel.receive() + 1)");
            ch.send(1);
            assertEquals(2, ch.receive(TIMEOUT));
        }
    }

    private static long children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot count file descriptors", e);
        }
    }
}
