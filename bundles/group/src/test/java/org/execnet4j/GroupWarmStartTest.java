package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.DefaultGatewayFactory;
import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Warm interpreters owned by their group (README "Fast start"): a burst is forked from one warm
 * interpreter, a lone gateway starts fresh, and once the group is terminated nothing of it is left,
 * while another group's warm interpreter goes on serving; the group setting turns it off.
 */
class GroupWarmStartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long JVM = ProcessHandle.current().pid();

    private final DefaultGatewayFactory factory = new DefaultGatewayFactory(new GatewayLauncher(
            TransportLocator.serviceLoader(getClass().getClassLoader()), EngineSettings.builder().warmStart(true).build()));
    private final List<Long> before = PythonProcesses.ofThisJvm();

    @AfterEach
    void close() {
        factory.close();
        Await.await("no Python process of this test left: " + PythonProcesses.ofThisJvm(),
                () -> before.containsAll(PythonProcesses.ofThisJvm()));
    }

    private static long parentPid(Gateway gw) {
        return ((Number) gw.remoteExec("import os; channel.send(os.getppid())").receive(TIMEOUT)).longValue();
    }

    private static Map<Long, Long> parents(List<Gateway> gateways) {
        return gateways.stream().collect(Collectors.groupingBy(GroupWarmStartTest::parentPid, Collectors.counting()));
    }

    @Test
    void aBurstIsForkedFromTheGroupsWarmInterpreterAndEndsWithTheGroup() {
        Group group = factory.newGroup("burst");
        Map<Long, Long> parents = parents(group.makeGateways(Collections.nCopies(6, GroupTest.POPEN)));
        assertEquals(1L, parents.get(JVM), "the first gateway starts fresh, beside the warm interpreter: " + parents);
        assertEquals(2, parents.size(), "the other five are forked from one warm interpreter: " + parents);
        long warm = parents.keySet().stream().filter(p -> p != JVM).findFirst().orElseThrow();
        assertTrue(PythonProcesses.ofThisJvm().contains(warm), "the warm interpreter is this JVM's child");

        group.terminate(TIMEOUT);
        assertFalse(PythonProcesses.isRunning(warm), "the warm interpreter ended with the group's terminate");
        Await.await("nothing of the group left: " + PythonProcesses.ofThisJvm(),
                () -> before.containsAll(PythonProcesses.ofThisJvm()));

        Gateway again = group.makeGateway(GroupTest.POPEN);
        assertEquals(JVM, parentPid(again), "after terminate the group's first gateway starts fresh again");
        assertNotEquals(JVM, parentPid(group.makeGateway(GroupTest.POPEN)), "and has a new warm interpreter started");
    }

    @Test
    void aLoneGatewayStartsFreshAndLaterOnesAreForked() {
        Group group = factory.newGroup("lone");
        Gateway first = group.makeGateway(GroupTest.POPEN);
        assertEquals(JVM, parentPid(first));
        long warm = parentPid(group.makeGateway(GroupTest.POPEN));
        assertNotEquals(JVM, warm, "the second gateway waits for the warm interpreter the first one started");
        assertEquals(warm, parentPid(group.makeGateway(GroupTest.POPEN)));
    }

    @Test
    void aForkedGatewaysStderrReachesItsOutputAndItsPumpEndsWithItEvenWhileAnEscapedProcessHoldsIt() {
        Group group = factory.newGroup("stderr");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        group.setRemoteOutput((id, line) -> lines.add(id + ": " + line));
        group.makeGateway(GroupTest.POPEN);
        Gateway forked = group.makeGateway(GroupTest.POPEN);
        assertNotEquals(JVM, parentPid(forked), "forked from the warm interpreter");
        String pump = "execnet4j-" + forked.id() + "-stderr";
        long escaped = ((Number) forked.remoteExec("""
                import subprocess, sys
                sys.stderr.write('first\\n')
                sys.stderr.flush()
                out = subprocess.check_output([sys.executable, '-c',
                    'import subprocess; print(subprocess.Popen(["sleep", "304"], start_new_session=True, '
                    'stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL).pid)'])
                sys.stderr.write('second\\n')
                sys.stderr.flush()
                channel.send(int(out))
                """).receive(TIMEOUT)).longValue();
        try {
            Await.await("both lines in order: " + lines, () -> lines.equals(List.of(forked.id() + ": first",
                    forked.id() + ": second")));
            group.terminate(TIMEOUT);
            assertTrue(PythonProcesses.isRunning(escaped), "the grandchild escaped: own session, orphaned, stderr inherited");
            Await.await("the forked gateway's stderr pump ended", () -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().equals(pump)));
        } finally {
            ProcessHandle.of(escaped).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void eachGroupHasItsOwnWarmInterpreters() {
        Group a = factory.newGroup("a");
        Group b = factory.newGroup("b");
        Set<Long> warmOfA = parents(a.makeGateways(Collections.nCopies(3, GroupTest.POPEN))).keySet();
        Set<Long> warmOfB = parents(b.makeGateways(Collections.nCopies(3, GroupTest.POPEN))).keySet();
        assertEquals(Set.of(JVM), warmOfA.stream().filter(warmOfB::contains).collect(Collectors.toSet()),
                "only the first gateways share a parent, this JVM: " + warmOfA + " " + warmOfB);
        a.terminate(TIMEOUT);
        warmOfA.stream().filter(p -> p != JVM).forEach(p -> assertFalse(PythonProcesses.isRunning(p), "a's warm interpreter"));
        assertTrue(warmOfB.contains(parentPid(b.makeGateway(GroupTest.POPEN))), "b forks from its warm interpreter still");
    }

    @Test
    void theGroupSettingAndTheSpecKeyTurnItOff() {
        Group off = factory.newGroup(GroupConfiguration.parse("off", Map.of(GroupConfiguration.SPECS, GroupTest.POPEN + "//id=c1",
                GroupConfiguration.WARM_START, "false"), GroupConfiguration.UnknownKeys.REJECT));
        List<Gateway> burst = off.makeGateways(Collections.nCopies(3, GroupTest.POPEN));
        assertEquals(Map.of(JVM, 4L), parents(off.gateways()), "every gateway of the group is this JVM's child");
        Set<Long> gateways = off.gateways().stream().map(gw -> gw.remoteInfo(TIMEOUT).pid()).collect(Collectors.toSet());
        Await.await("no Python process but the gateways (no warm interpreter): " + PythonProcesses.ofThisJvm(),
                () -> PythonProcesses.ofThisJvm().stream().allMatch(p -> before.contains(p) || gateways.contains(p)));
        burst.forEach(gw -> gw.exit(TIMEOUT));

        Group fresh = factory.newGroup("fresh");
        assertEquals(Map.of(JVM, 3L), parents(fresh.makeGateways(Collections.nCopies(3, GroupTest.POPEN + "//fresh"))));
    }
}
