package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.execnet4j.api.InvalidSpecException;
import org.execnet4j.api.MultiChannel;
import org.execnet4j.api.PythonSource;
import org.execnet4j.api.RemoteError;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Groups against real interpreters: parallel start, MultiChannel, via, output routing. */
class GroupTest {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String POPEN = "popen//python=" + System.getProperty("execnet4j.python", "python3");

    private final Group group = Execnet.newGroup("test");

    @AfterEach
    void terminate() {
        group.terminate(Duration.ofSeconds(5));
    }

    @Test
    void makeGatewaysStartsInParallelAndNamesInOrder() {
        List<Gateway> started = group.makeGateways(List.of(POPEN, POPEN, POPEN + "//id=third"));
        assertEquals(3, started.size());
        assertEquals(List.of("gw0", "gw1", "third"), started.stream().map(Gateway::id).toList());
        assertEquals(List.of("gw0", "gw1", "third"), group.gateways().stream().map(Gateway::id).toList());
        assertEquals(3, group.size());
        Set<Long> pids = new HashSet<>();
        for (Gateway g : group) {
            pids.add(g.remoteInfo(TIMEOUT).pid());
        }
        assertEquals(3, pids.size());
    }

    @Test
    void receiveEachLinesUpWithTheSpecs() {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            specs.add(POPEN + "//env:SLOT=" + i);
        }
        group.makeGateways(specs);
        List<Object> slots = group.remoteExec("import os; channel.send(os.environ['SLOT'])").receiveEach(TIMEOUT);
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), slots);
    }

    @Test
    void defaultSpecAndExecmodelApplyToLaterGateways() {
        assertEquals("popen", group.defaultSpec());
        group.setDefaultSpec(POPEN + "//env:FROM=default");
        group.setExecmodel("main_thread_only");
        Gateway fromDefault = group.makeGateway();
        Gateway ownModel = group.makeGateway(POPEN + "//execmodel=thread");
        assertEquals("main_thread_only", fromDefault.remoteStatus(TIMEOUT).execmodel());
        assertEquals("thread", ownModel.remoteStatus(TIMEOUT).execmodel());
        assertEquals("default", fromDefault.remoteExec("import os; channel.send(os.environ['FROM'])").receive(TIMEOUT));
        assertThrows(InvalidSpecException.class, () -> group.setExecmodel("fibers"));
        assertThrows(InvalidSpecException.class, () -> group.setDefaultSpec("nosuchtype"));
        assertTrue(group.contains(fromDefault.id()));
        assertFalse(group.contains("nope"));
    }

    @Test
    void aFunctionRunsOnEveryGatewayWithItsArguments() {
        group.makeGateways(List.of(POPEN, POPEN));
        MultiChannel mc = group.remoteExec(PythonSource.function("def add(channel, a, b):\n    channel.send(a + b)\n", "add"),
                Map.of("a", 40, "b", 2));
        assertEquals(List.of(42, 42), mc.receiveEach(TIMEOUT));
    }

    @Test
    void aFailedStartLeavesNothingBehind() {
        int before = group.size();
        GatewayClosedException e = assertThrows(GatewayClosedException.class,
                () -> group.makeGateways(List.of(POPEN, "popen//python=/nonexistent/python")));
        assertTrue(e.getMessage().contains("/nonexistent/python"), e.getMessage());
        assertEquals(before, group.size());
        assertThrows(InvalidSpecException.class, () -> group.makeGateway("popen//via=nosuch"));
    }

    @Test
    void makeGatewayWithoutSpecUsesPopen() {
        Gateway gw = group.makeGateway();
        assertEquals("popen", gw.spec().toString());
        assertEquals(1, gw.remoteExec("channel.send(1)").receive(TIMEOUT));
    }

    @Test
    void multiChannelSendsToAllAndCollects() throws Exception {
        group.makeGateways(List.of(POPEN, POPEN));
        MultiChannel mc = group.remoteExec("""
                import os
                x = channel.receive()
                channel.send((x, os.getpid()))
                channel.send('second')
                """);
        mc.sendEach(7);
        List<Object> first = mc.receiveEach(TIMEOUT);
        assertEquals(2, first.size());
        Map<Channel, Object> second = mc.receiveEachWithChannel(TIMEOUT);
        assertEquals(List.of("second", "second"), List.copyOf(second.values()));
        assertEquals(mc.channels(), List.copyOf(second.keySet()));
        mc.waitClose(TIMEOUT);

        MultiChannel queued = group.remoteExec("channel.send(channel.gateway.id)");
        BlockingQueue<Map.Entry<Channel, Object>> q = queued.makeReceiveQueue("END");
        assertEquals(q, queued.makeReceiveQueue("END"));
        List<Object> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.add(q.poll(20, TimeUnit.SECONDS).getValue());
        }
        assertEquals(2, got.stream().filter("END"::equals).count());
        assertEquals(Set.of("gw0-worker", "gw1-worker", "END"), new HashSet<>(got));
        assertThrows(IllegalStateException.class, () -> queued.receiveEach(TIMEOUT));

        MultiChannel failing = group.remoteExec("raise ValueError(channel.gateway.id)");
        RemoteError error = assertThrows(RemoteError.class, () -> failing.waitClose(TIMEOUT));
        assertTrue(error.formatted().contains("ValueError: gw0-worker"), error.formatted());
    }

    @Test
    void viaStartsAnInterpreterNextToAnotherGateway() {
        Gateway first = group.makeGateway(POPEN);
        long firstPid = first.remoteInfo(TIMEOUT).pid();
        Gateway proxied = group.makeGateway(POPEN + "//via=gw0//id=sub");
        long subPid = proxied.remoteInfo(TIMEOUT).pid();
        assertEquals(firstPid, ProcessHandle.of(subPid).orElseThrow().parent().orElseThrow().pid(),
                "the proxied interpreter is a child of gw0's");
        Channel ch = proxied.remoteExec("for x in channel: channel.send(x * 2)");
        for (int i = 0; i < 50; i++) {
            ch.send(new byte[1000 * i]);
            assertEquals(2000 * i, ((byte[]) ch.receive(TIMEOUT)).length);
        }
        ch.close();
        Map<String, ExitOutcome> outcomes = group.terminate(Duration.ofSeconds(5));
        assertEquals(List.of("gw0", "sub"), List.copyOf(outcomes.keySet()));
        assertEquals(ExitOutcome.EXITED, outcomes.get("sub"));
        assertFalse(ProcessHandle.of(subPid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void remoteOutputGoesToTheGroupsSink() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        group.setRemoteOutput((id, line) -> lines.add(id + "|" + line));
        Gateway gw = group.makeGateway(POPEN);
        gw.remoteExec("print('x' * 100000); print('done', flush=True)").waitClose(TIMEOUT);
        Await.await("the last line in the group's sink", () -> lines.contains("gw0|done"));
        assertTrue(lines.contains("gw0|" + "x".repeat(100000)));
        assertTrue(lines.contains("gw0|done"));
        List<String> mine = new CopyOnWriteArrayList<>();
        gw.setRemoteOutput((id, line) -> mine.add(line));
        gw.remoteExec("import sys; sys.stderr.write('only mine\\n')").waitClose(TIMEOUT);
        Await.await("the line in the gateway's own sink", () -> mine.contains("only mine"));
        assertTrue(mine.contains("only mine"));
        assertFalse(lines.contains("gw0|only mine"));
    }

    @Test
    void duplicateIdsAreRefused() {
        group.makeGateway(POPEN + "//id=a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.makeGateway(POPEN + "//id=a"));
        assertTrue(e.getMessage().contains("'a'"));
        assertInstanceOf(Gateway.class, group.get("a").orElseThrow());
    }
}
