package org.execnet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.Spec;
import org.execnet4j.core.internal.GatewayStart;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Popen gateways forked from a warm interpreter against fresh ones (README "Fast start"): the
 * same facts, their own process, output, exit status and kill, and no process left once the
 * owner closes its warm pool; without a pool (no group) a gateway starts fresh.
 */
class WarmStartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** More gateways at once than a warm interpreter keeps spare processes. */
    private static final int BURST = 6;
    /** How long a test looks for a warm interpreter that must not have started. */
    private static final Duration WARM_START_WAIT = Duration.ofMillis(500);
    /** What a gateway's remote sees of its interpreter, besides remoteInfo(). */
    private static final String FACTS = """
            import os, sys
            channel.send((sorted(os.environ.items()), list(sys.path), list(sys.argv), os.getcwd(),
                           sys.flags.dont_write_bytecode, sys.dont_write_bytecode, os.getsid(0) == os.getpid(),
                           channel.gateway.execmodel.backend))
            """;

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()),
            EngineSettings.builder().warmStart(true).remoteOutput((id, line) -> output.add(id + ": " + line)).build());
    private final WarmPool pool = launcher.newWarmPool();
    private final List<Gateway> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void end() {
        started.forEach(gw -> gw.exit(Duration.ofSeconds(5)));
        pool.close();
        launcher.abortCompiles();
    }

    private Gateway start(String items, String id) {
        Spec spec = Spec.parse("popen//python=" + Gateways.python() + items);
        Gateway gw = launcher.launch(spec, id, launcher.transportFor(spec, id), launcher.settings(), new PendingLaunch(), pool);
        started.add(gw);
        return gw;
    }

    /** A gateway forked from its kind's warm interpreter: those started while it starts are fresh ones. */
    private Gateway forked(String items, String id) {
        long jvm = ProcessHandle.current().pid();
        return Await.awaitValue("a gateway forked from a warm interpreter", () -> {
            Gateway gw = start(items, id);
            if (parentPid(gw) != jvm) {
                return gw;
            }
            gw.exit(Duration.ofSeconds(5));
            return null;
        }, TIMEOUT);
    }

    private static long parentPid(Gateway gw) {
        return ((Number) gw.remoteExec("import os; channel.send(os.getppid())").receive(TIMEOUT)).longValue();
    }

    @Test
    void aForkedGatewayShowsWhatAFreshOneShows() {
        for (String items : List.of("", "//execmodel=main_thread_only", "//dont_write_bytecode//chdir=/tmp//env:WARM_TEST=1")) {
            Gateway first = forked(items, "first");
            Gateway forked = start(items, "forked");
            Gateway fresh = start(items + "//fresh", "fresh");
            assertEquals(ProcessHandle.current().pid(), parentPid(fresh), "the //fresh gateway is this JVM's child");
            assertEquals(parentPid(first), parentPid(forked), "a later gateway is forked from the same warm interpreter");

            ForkedGatewayChecks.showWhatAFreshOneShows(fresh, List.of(first, forked), FACTS, WarmStartTest::withoutFlag, items);
            List.of(fresh, first, forked).forEach(gw -> gw.exit(Duration.ofSeconds(5)));
        }
    }

    /** sys.flags.dont_write_bytecode is the warm interpreter's (a forked gateway sets sys.dont_write_bytecode). */
    private static Object withoutFlag(Object facts) {
        PyTuple t = (PyTuple) facts;
        return List.of(t.get(0), t.get(1), t.get(2), t.get(3), t.get(5), t.get(6), t.get(7));
    }

    @Test
    void outputExitStatusAndKillAreTheGatewaysOwn() {
        ForkedGatewayChecks.outputAndKillAreTheGatewaysOwn(id -> forked("", id), output);
    }

    @Test
    void aGatewayThatEndsItselfReportsItsExitCode() {
        ForkedGatewayChecks.reportsItsOwnExitCode(forked("", "ends"), "forked");
        ForkedGatewayChecks.reportsItsOwnExitCode(start("//fresh", "fresh"), "fresh");
    }

    @Test
    void noProcessOutlivesTheWarmInterpreters() {
        List<Long> before = PythonProcesses.ofThisJvm();
        List<Gateway> gws = List.of(forked("", "p1"), forked("", "p2"), forked("//execmodel=main_thread_only", "p3"));
        gws.forEach(gw -> gw.remoteExec("channel.send(1)").receive(TIMEOUT));
        assertTrue(PythonProcesses.ofThisJvm().size() >= before.size() + 5, "3 gateways, 2 warm interpreters");
        gws.forEach(gw -> gw.exit(Duration.ofSeconds(5)));
        pool.close();
        Await.await("no Python process of this test left: " + PythonProcesses.ofThisJvm(),
                () -> before.containsAll(PythonProcesses.ofThisJvm()));
        Gateway again = start("", "again");
        assertEquals(ProcessHandle.current().pid(), parentPid(again), "the first gateway after the close starts fresh");
        forked("", "again");    // and has a new warm interpreter started
    }

    /**
     * More gateways at once than the warm interpreter has spare processes: those that come
     * while no spare is ready wait for one, and the spares take turns, so that each gateway's
     * two connections reach the same process.
     */
    @Test
    void aBurstOfGatewaysGetsAForkedProcessEach() throws Exception {
        long warm = parentPid(forked("", "first"));
        List<Gateway> burst = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(BURST);
        try {
            List<Future<Gateway>> starting = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String id = "burst" + i;
                starting.add(threads.submit(() -> start("", id)));
            }
            for (Future<Gateway> gw : starting) {
                burst.add(gw.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
        Set<Long> pids = new HashSet<>();
        for (Gateway gw : burst) {
            assertEquals(warm, parentPid(gw), "forked from the warm interpreter: " + gw);
            pids.add(gw.remoteInfo(TIMEOUT).pid());
        }
        assertEquals(BURST, pids.size(), "a process of its own each: " + pids);
    }

    /** A forked gateway runs at the niceness of the warm interpreter, plus what its spec asks for (as a fresh one would). */
    @Test
    void aForkedGatewayRunsAtTheNicenessItAskedFor() {
        String niceness = "import os; channel.send(os.nice(0))";
        int own = ((Number) forked("", "plain").remoteExec(niceness).receive(TIMEOUT)).intValue();
        assertEquals(jvmNiceness(), own, "the niceness of the JVM that started the warm interpreter");
        assertEquals(Math.min(19, own + 5), ((Number) forked("//nice=5", "nice").remoteExec(niceness).receive(TIMEOUT)).intValue());
    }

    private static int jvmNiceness() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);    // field 19
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first gateway's first request does not share the CPU with the warm interpreter's start. */
    @Test
    void theWarmInterpreterStartsOnceTheFirstGatewayAnswered() throws InterruptedException {
        Set<Long> before = new HashSet<>(interpretersOfThisJvm());
        Gateway first = start("", "first");
        Thread.sleep(WARM_START_WAIT.toMillis());      // ample for a warm interpreter started with the gateway to show
        List<Long> running = interpretersOfThisJvm().stream().filter(pid -> !before.contains(pid)).toList();
        assertEquals(1, running.size(), "only the first gateway's interpreter before its first answer: " + running);
        first.remoteExec("channel.send(1)").receive(TIMEOUT);
        Await.await("a warm interpreter started after the first answer",
                () -> interpretersOfThisJvm().stream().filter(pid -> !before.contains(pid)).count() == 2);
    }

    /** The interpreters this JVM started that read a bootstrap line (not the agent's compiler). */
    private static List<Long> interpretersOfThisJvm() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(GatewayStart.pythonArgs(
                        Spec.parse("popen")).get(2))).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    @Test
    void aGatewayWithoutAPoolStartsFresh() {
        Spec spec = Spec.parse("popen//python=" + Gateways.python());
        for (int i = 0; i < 3; i++) {
            Gateway gw = launcher.launch(spec, "alone" + i);
            started.add(gw);
            assertEquals(ProcessHandle.current().pid(), parentPid(gw), "no group, no warm interpreter: gateway " + i);
        }
    }
}
