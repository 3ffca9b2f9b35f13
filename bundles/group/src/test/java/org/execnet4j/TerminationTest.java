package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * terminate(timeout) returns within the timeout plus a bounded slack whatever the remote does,
 * and afterwards no process of the group (descendants included) and no gateway thread is left.
 */
class TerminationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(1);
    /** What terminate may take beyond its timeout: kill, reap, join threads. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    /**
     * The first gateway to an interpreter in this JVM makes the launcher compile the agent on a thread
     * of its own ("execnet4j-agent-compiler"): the launcher's, not the group's, so a group's terminate
     * leaves it running, for seconds under load. It finishes here, before any test counts threads.
     */
    @BeforeAll
    static void compileTheAgentFirst() {
        try (Group group = Execnet.newGroup("warm-up")) {
            assertEquals(1, group.makeGateway(GroupTest.POPEN).remoteExec("channel.send(1)").receive(TIMEOUT));
        }
        Await.await("the agent compiler to finish", () -> !gatewayThreads().contains("execnet4j-agent-compiler"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"idle", "busy_loop", "sleep_forever", "ignores_signals", "never_ending_thread",
        "blocked_read", "forked_children", "own_process_group"})
    void terminateIsBoundedAndLeavesNothing(String hostile) throws Exception {
        Set<String> threadsBefore = gatewayThreads();
        Group group = Execnet.newGroup("hostile-" + hostile);
        List<Gateway> gateways = group.makeGateways(List.of(GroupTest.POPEN, GroupTest.POPEN));
        List<Long> pids = new ArrayList<>();
        for (Gateway gw : gateways) {
            pids.add(gw.remoteInfo(TIMEOUT).pid());
            Channel ch = gw.remoteExec(HostileCode.source(hostile));
            assertEquals("ready", ch.receive(TIMEOUT));
        }
        for (Long pid : List.copyOf(pids)) {
            ProcessHandle.of(pid).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
        }
        if (hostile.equals("forked_children") || hostile.equals("own_process_group")) {
            assertTrue(pids.size() >= 4, "children started: " + pids);
        }

        long start = System.nanoTime();
        Map<String, ExitOutcome> outcomes = group.terminate(TERMINATE_TIMEOUT);
        long took = System.nanoTime() - start;

        assertTrue(took < TERMINATE_TIMEOUT.plus(SLACK).toNanos(),
                hostile + ": terminate took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
        assertEquals(Set.of("gw0", "gw1"), outcomes.keySet());
        if (hostile.equals("idle")) {
            assertEquals(Set.of(ExitOutcome.EXITED), Set.copyOf(outcomes.values()));
        }
        for (long pid : pids) {
            waitGone(pid, hostile);
        }
        // also those started after anybody looked (dash forks the command of sh -c, late under load)
        for (long pid : ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains(Long.toString(HostileCode.MARKER))).map(ProcessHandle::pid).toList()) {
            waitGone(pid, hostile);
        }
        assertEquals(0, group.size());
        awaitThreads(threadsBefore);
    }

    @Test
    void terminateKillsAGatewayThatIsStillStarting() throws Exception {
        Group group = Execnet.newGroup("half-started");
        CompletableFuture<Throwable> start = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                group.makeGateway("popen//python=sh -c 'exec sleep 1002'");
                start.complete(null);
            } catch (Throwable e) {
                start.complete(e);
            }
        }, "test-starter");
        starter.start();
        long pid = Await.awaitValue("the interpreter to run", () -> ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 1002")).map(ProcessHandle::pid)
                .findFirst().orElse(null), TIMEOUT);

        Map<String, ExitOutcome> outcomes = group.terminate(TERMINATE_TIMEOUT);

        assertEquals(Map.of("gw0", ExitOutcome.KILLED), outcomes);
        waitGone(pid, "starting");
        Throwable failure = start.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(GatewayClosedException.class, failure);
        assertTrue(failure.getMessage().contains("group 'half-started' was terminated while it started"), failure.getMessage());
        assertEquals(0, group.size());
    }

    @Test
    void anEscapedGrandchildHoldingStderrKeepsNoThreadOfOurs() throws Exception {
        Set<String> threadsBefore = gatewayThreads();
        Group group = Execnet.newGroup("escaped");
        Channel ch = group.makeGateway(GroupTest.POPEN).remoteExec("""
                import subprocess, sys
                out = subprocess.check_output([sys.executable, '-c',
                    'import subprocess; print(subprocess.Popen(["sleep", "303"], start_new_session=True, '
                    'stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL).pid)'])
                channel.send(int(out))
                """);
        long escaped = ((Number) ch.receive(TIMEOUT)).longValue();
        try {
            group.terminate(TERMINATE_TIMEOUT);
            assertTrue(PythonProcesses.isRunning(escaped), "the grandchild escaped: own session, orphaned, stderr inherited");
            awaitThreads(threadsBefore);
        } finally {
            ProcessHandle.of(escaped).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static void waitGone(long pid, String hostile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (PythonProcesses.isRunning(pid)) {
            assertTrue(System.nanoTime() < deadline, hostile + ": process " + pid + " outlived terminate");
            Thread.sleep(10);
        }
    }

    private static void awaitThreads(Set<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!before.containsAll(gatewayThreads())) {
            assertTrue(System.nanoTime() < deadline, "gateway threads left: " + gatewayThreads());
            Thread.sleep(10);
        }
    }

    static Set<String> gatewayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("execnet4j-"))
                .collect(Collectors.toSet());
    }

    /**
     * Remote code that makes termination hard; each sends "ready" once it is in place. The
     * processes it starts carry {@link #MARKER} in their command line.
     */
    static final class HostileCode {
        /** Unique to this JVM, so processes the hostile code started are found even when nobody saw them start. */
        static final long MARKER = 1_000_000 + new java.util.Random().nextInt(1_000_000);

        private HostileCode() {
        }

        static String source(String name) {
            String body = switch (name) {
                case "idle" -> "channel.send('ready')";
                case "busy_loop" -> """
                        channel.send('ready')
                        while True:
                            pass
                        """;
                case "sleep_forever" -> """
                        import time
                        channel.send('ready')
                        time.sleep(1e6)
                        """;
                case "ignores_signals" -> """
                        import signal, time
                        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                            try:
                                signal.signal(sig, signal.SIG_IGN)
                            except ValueError:
                                pass
                        channel.send('ready')
                        while True:
                            try:
                                time.sleep(1e6)
                            except BaseException:
                                pass
                        """;
                case "never_ending_thread" -> """
                        import threading, time
                        def forever():
                            while True:
                                time.sleep(0.01)
                        threading.Thread(target=forever, daemon=False).start()
                        channel.send('ready')
                        """;
                case "blocked_read" -> """
                        import os
                        r, w = os.pipe()
                        channel.send('ready')
                        os.read(r, 1)
                        """;
                case "forked_children" -> """
                        import subprocess, sys
                        for _ in range(2):
                            subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(MARKER)'])
                        channel.send('ready')
                        """;
                case "own_process_group" -> """
                        import subprocess, sys
                        subprocess.Popen([sys.executable, '-c', 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(MARKER)'],
                                         start_new_session=True)
                        subprocess.Popen(['sh', '-c', 'sleep MARKER'], start_new_session=True)
                        channel.send('ready')
                        """;
                default -> throw new IllegalArgumentException(name);
            };
            return body.replace("MARKER", Long.toString(MARKER));
        }
    }
}
