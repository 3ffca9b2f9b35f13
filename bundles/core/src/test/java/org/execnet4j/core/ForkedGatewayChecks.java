package org.execnet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.RemoteInfo;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;

/**
 * What a gateway forked from a warm interpreter must show, whatever transport reaches it
 * ({@code WarmStartTest} for popen, {@code WarmSshTest} for ssh, whose server runs on this machine).
 */
public final class ForkedGatewayChecks {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ForkedGatewayChecks() {
    }

    /**
     * Forked gateways show what a fresh one of the same spec shows: {@code remoteInfo()} but the
     * pid, the execution model, and what a program that sends facts about its interpreter sends.
     *
     * @param fresh a gateway of the spec started fresh
     * @param forked gateways of the spec forked from a warm interpreter
     * @param facts a program that sends one value about its interpreter
     * @param comparable what of that value must be equal
     * @param items the spec's items, for failure messages
     */
    public static void showWhatAFreshOneShows(Gateway fresh, List<Gateway> forked, String facts,
            UnaryOperator<Object> comparable, String items) {
        RemoteInfo expected = fresh.remoteInfo(TIMEOUT);
        Object expectedFacts = comparable.apply(fresh.remoteExec(facts).receive(TIMEOUT));
        for (Gateway gw : forked) {
            RemoteInfo info = gw.remoteInfo(TIMEOUT);
            assertNotEquals(expected.pid(), info.pid());
            assertEquals(new RemoteInfo(expected.executable(), expected.cwd(), expected.versionInfo(), expected.platform(), 0),
                    new RemoteInfo(info.executable(), info.cwd(), info.versionInfo(), info.platform(), 0), items);
            assertEquals(fresh.remoteStatus(TIMEOUT).execmodel(), gw.remoteStatus(TIMEOUT).execmodel(), items);
            assertEquals(expectedFacts, comparable.apply(gw.remoteExec(facts).receive(TIMEOUT)), items);
        }
    }

    /**
     * Two forked gateways' stdout and stderr lines reach each one's own {@code RemoteOutput}; one
     * killed (its exit timeout passed) ends, with the process it started.
     *
     * @param forked starts a gateway forked from a warm interpreter, with the given id
     * @param output the lines the gateways' {@code RemoteOutput} got, as {@code "<id>: <line>"}
     */
    public static void outputAndKillAreTheGatewaysOwn(Function<String, Gateway> forked, List<String> output) {
        Gateway a = forked.apply("a");
        Gateway b = forked.apply("b");
        a.remoteExec("import sys; print('from a'); sys.stderr.write('err a\\n')");
        b.remoteExec("import sys; sys.stderr.write('err b\\n')");
        Await.await("each gateway's lines, routed to it: " + output,
                () -> output.containsAll(List.of("a: from a", "a: err a", "b: err b")));

        long child = ((Number) b.remoteExec("""
                import subprocess
                channel.send(subprocess.Popen(['sleep', '1000']).pid)
                """).receive(TIMEOUT)).longValue();
        long bPid = b.remoteInfo(TIMEOUT).pid();
        a.exit(Duration.ofSeconds(10));
        b.exit(Duration.ofMillis(1));
        Await.await("the killed gateway and the process it started to end",
                () -> !PythonProcesses.isRunning(bPid) && !PythonProcesses.isRunning(child));
    }

    /**
     * A gateway whose remote ends itself with {@code os._exit(3)} closes with that exit code in its message.
     *
     * @param gw the gateway
     * @param what names it in the failure message
     */
    public static void reportsItsOwnExitCode(Gateway gw, String what) {
        gw.remoteExec("import os; os._exit(3)");
        GatewayClosedException closed = assertThrows(GatewayClosedException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                gw.remoteExec("pass").waitClose(TIMEOUT);
                Thread.sleep(10);
            }
        });
        assertTrue(closed.getMessage().contains("exit code 3"), what + ": " + closed.getMessage());
    }
}
