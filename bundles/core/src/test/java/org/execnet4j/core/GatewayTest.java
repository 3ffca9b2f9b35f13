package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteInfo;
import org.execnet4j.api.RemoteStatus;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.Waiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Gateway life cycle against real interpreters: status, info, spec keys, death, exit. */
class GatewayTest {
    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void remoteStatusCountsChannelsAndTasks() throws Exception {
        Gateway gw = gateways.popen();
        RemoteStatus idle = gw.remoteStatus(TIMEOUT);
        assertEquals(new RemoteStatus(0, 0, "thread"), idle);
        Channel busy = gw.remoteExec("channel.receive()");
        Channel busy2 = gw.remoteExec("channel.receive()");
        RemoteStatus status = gw.remoteStatus(TIMEOUT);
        assertEquals(2, status.numExecuting());
        assertEquals(2, status.numChannels());
        busy.send(1);
        busy2.send(1);
        busy.waitClose(TIMEOUT);
        busy2.waitClose(TIMEOUT);
    }

    @Test
    void whenEndedCompletesOnceWithTheReasonForExitAndForDeath() throws Exception {
        Gateway exiting = gateways.popen();
        Gateway dying = gateways.popen();
        CompletableFuture<GatewayClosedException> exited = exiting.whenEnded().toCompletableFuture();
        CompletableFuture<GatewayClosedException> died = dying.whenEnded().toCompletableFuture();
        assertFalse(exited.isDone());

        dying.remoteExec("import os; os._exit(3)");
        GatewayClosedException death = died.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(death.getMessage().contains("exit code 3"), death.getMessage());
        assertFalse(exited.isDone(), "one gateway's end is not another's");

        exiting.exit(TIMEOUT);
        assertTrue(exited.isDone(), "complete once exit has returned");
        assertTrue(exited.get().getMessage().contains("exited on request"), exited.get().getMessage());
        assertTrue(exiting.whenEnded().toCompletableFuture().isDone(), "already complete for an ended gateway");
        exiting.whenEnded().toCompletableFuture().obtrudeValue(null);
        assertEquals(exited.get(), exiting.whenEnded().toCompletableFuture().get(), "callers cannot change the gateway's own stage");
    }

    @Test
    void remoteInfoDescribesTheInterpreter() {
        Gateway gw = gateways.popen();
        RemoteInfo info = gw.remoteInfo(TIMEOUT);
        assertEquals("linux", info.platform());
        assertTrue(info.pid() > 1);
        assertEquals(3, info.versionInfo().get(0));
        assertEquals(5, info.versionInfo().size());
        assertEquals(Path.of("").toAbsolutePath().toString(), info.cwd());
        assertTrue(info.executable().contains("python") || info.executable().contains("pypy"), info.executable());
    }

    @Test
    void specKeysShapeTheRemote(@TempDir Path dir) {
        Path work = dir.resolve("work");
        Gateway gw = gateways.popen("chdir=" + work, "nice=3", "env:EXECNET4J_A=a=b", "env:EXECNET4J_B=2",
                "dont_write_bytecode", "execmodel=main_thread_only");
        assertTrue(Files.isDirectory(work), "chdir creates the directory");
        Channel ch = gw.remoteExec("""
                import os, sys, threading
                channel.send((os.getcwd(), os.nice(0), os.environ['EXECNET4J_A'], os.environ['EXECNET4J_B'],
                              sys.dont_write_bytecode, threading.current_thread() is threading.main_thread()))
                """);
        Object answer = ch.receive(TIMEOUT);
        PyTuple t = (PyTuple) answer;
        assertEquals(work.toString(), t.get(0));
        assertTrue((Integer) t.get(1) >= 3, "niceness incremented: " + t.get(1));
        assertEquals(List.of("a=b", "2", true, true), t.subList(2, 6));
        assertEquals("main_thread_only", gw.remoteStatus(TIMEOUT).execmodel());
    }

    /** Linux keeps a niceness per thread: nice= must reach the agent's receiver and the tasks it starts. */
    @Test
    void niceReachesEveryThreadOfTheRemote() {
        int own = ((Number) gateways.popen().remoteExec("import os; channel.send(os.nice(0))").receive(TIMEOUT)).intValue();
        Gateway gw = gateways.popen("nice=4", "execmodel=thread");
        Channel busy = gw.remoteExec("channel.receive()");    // keeps the main thread busy: the next task gets a thread
        Object niceness = gw.remoteExec("""
                import os
                def nice(tid):
                    with open('/proc/self/task/%s/stat' % tid) as f:
                        return int(f.read().rsplit(')', 1)[1].split()[16])
                channel.send(sorted({nice(tid) for tid in os.listdir('/proc/self/task')} | {os.nice(0)}))
                """).receive(TIMEOUT);
        busy.send(null);
        assertEquals(List.of(Math.min(19, own + 4)), niceness, "the niceness of every thread, this task's included");
    }

    @Test
    void mainThreadOnlyRunsTasksOneAfterAnother() {
        Gateway gw = gateways.popen("execmodel=main_thread_only");
        Channel first = gw.remoteExec("channel.send(channel.receive())");
        Channel second = gw.remoteExec("import threading; channel.send(threading.current_thread().name)");
        assertThrows(org.execnet4j.api.ChannelTimeoutException.class, () -> second.receive(Duration.ofMillis(300)),
                "the second task waits for the first");
        first.send("done");
        assertEquals("done", first.receive(TIMEOUT));
        assertEquals("MainThread", second.receive(TIMEOUT));
    }

    @Test
    void aMissingInterpreterFailsClearly() {
        GatewayClosedException e = assertThrows(GatewayClosedException.class,
                () -> gateways.start("popen//python=/nonexistent/python3"));
        assertTrue(e.getMessage().contains("/nonexistent/python3"), e.getMessage());
        GatewayClosedException bad = assertThrows(GatewayClosedException.class,
                () -> gateways.start("popen//python=" + Gateways.python() + " -c 'import sys; sys.exit(3)'"));
        assertTrue(bad.getMessage().contains("failed to start"), bad.getMessage());
    }

    @Test
    void theGatewayDyingWakesEveryWaiterOnEveryChannelAtOnce() {
        Gateway gw = gateways.popen();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            channels.add(gw.remoteExec("channel.receive()"));
        }
        List<Waiter> waiters = channels.stream().map(ch -> Waiter.start("receive on " + ch, ch::receive)).toList();
        Waiter closer = Waiter.start("waitClose on " + channels.get(0), channels.get(0)::waitClose);
        waiters.forEach(Waiter::awaitBlocked);
        closer.awaitBlocked();
        gw.remoteExec("import os; os._exit(7)");
        for (Waiter waiter : waiters) {
            GatewayClosedException e = assertInstanceOf(GatewayClosedException.class, waiter.failure(TIMEOUT));
            assertTrue(e.getMessage().contains(gw.id()), e.getMessage());
            assertTrue(e.getMessage().contains(gw.spec().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("exit code 7"), e.getMessage());
        }
        assertInstanceOf(GatewayClosedException.class, closer.failure(TIMEOUT));
        assertFalse(gw.isAlive());
        assertThrows(GatewayClosedException.class, () -> gw.remoteExec("pass"));
        assertEquals(ExitOutcome.ALREADY_DEAD, gw.exit(TIMEOUT));
    }

    @Test
    void aRemoteKilledFromOutsideWakesWaitersWithItsSignal() {
        Gateway gw = gateways.popen();
        long pid = gw.remoteInfo(TIMEOUT).pid();
        Channel ch = gw.remoteExec("channel.receive()");
        Waiter waiter = Waiter.start("receive on " + ch, ch::receive);
        waiter.awaitBlocked();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        GatewayClosedException e = assertInstanceOf(GatewayClosedException.class, waiter.failure(TIMEOUT));
        assertTrue(e.getMessage().contains(gw.id()) && e.getMessage().contains("exit code 137"), e.getMessage());
    }

    @Test
    void garbageOnTheStreamClosesTheGatewayWithAProtocolError() {
        Gateway gw = gateways.start("popen//python=sh -c 'read line; printf 1XXXXXXXXXXXXXXX; cat > /dev/null' sh");
        // the garbage may close the gateway before or after the channel exists: either call fails the same way
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> gw.newChannel().receive(TIMEOUT));
        assertTrue(e.getMessage().contains("protocol error"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown message type 88"), e.getMessage());
    }

    @Test
    void exitLeavesNoThreadAndNoProcess() {
        Gateway gw = gateways.popen();
        assertEquals(Set.of("execnet4j-" + gw.id() + "-receiver", "execnet4j-" + gw.id() + "-stderr", "execnet4j-" + gw.id() + "-reaper"),
                threadsOf(gw));
        long pid = gw.remoteInfo(TIMEOUT).pid();
        Channel child = gw.remoteExec("""
                import subprocess, sys
                p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
                channel.send(p.pid)
                channel.receive()
                """);
        long grandchild = ((Number) child.receive(TIMEOUT)).longValue();
        assertTrue(ProcessHandle.of(pid).isPresent());
        assertEquals(ExitOutcome.EXITED, gw.exit(TIMEOUT));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the interpreter is gone");
        waitGone(grandchild);
        assertEquals(Set.of(), threadsOf(gw), "no gateway thread left");
        assertFalse(gw.isAlive());
    }

    @Test
    void anExitedGatewayIsNotHeldUntilItsExitDeadline() {
        GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()),
                EngineSettings.DEFAULTS);
        Gateway gw = launcher.launch(org.execnet4j.api.Spec.parse("popen//python=" + Gateways.python()), "gw-held");
        assertEquals(ExitOutcome.EXITED, gw.exit(Duration.ofHours(1)));
        WeakReference<Gateway> exited = new WeakReference<>(gw);
        gw = null;
        Await.await("the exited gateway collected (no timer holds it for an hour)", () -> {
            System.gc();
            return exited.get() == null;
        }, TIMEOUT);
    }

    @Test
    void exitKillsARemoteThatDoesNotStop() {
        Gateway gw = gateways.popen();
        long pid = gw.remoteInfo(TIMEOUT).pid();
        gw.remoteExec("""
                import signal
                try:
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                except ValueError:
                    pass  # not in the main thread: the busy loop is hostile enough
                channel.send(1)
                while True:
                    pass
                """).receive(TIMEOUT);
        long start = System.nanoTime();
        ExitOutcome outcome = gw.exit(Duration.ofMillis(300));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(outcome == ExitOutcome.KILLED || outcome == ExitOutcome.EXITED, outcome.toString());
        assertTrue(tookMillis < 3000, "exit took " + tookMillis + " ms");
        waitGone(pid);
    }

    private static void waitGone(long pid) {
        Await.await("process " + pid + " gone", () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), TIMEOUT);
    }

    private static Set<String> threadsOf(Gateway gw) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("execnet4j-" + gw.id() + "-"))
                .collect(Collectors.toSet());
    }
}
