package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.execnet4j.api.InvalidSpecException;
import org.junit.jupiter.api.Test;

/** socket//installvia=ID: a gateway inside another gateway's process (protocol.md §4.9). */
class InstallViaTest extends SocketTestBase {
    private static final String POPEN = "popen//python=" + ServerProcess.PYTHON;

    @Test
    void theNewGatewayLivesInTheHostsProcessAndEndsOnItsOwn() {
        Group group = group();
        Gateway host = group.makeGateway(POPEN + "//id=host");
        Gateway inner = group.makeGateway("socket//installvia=host//id=inner//env:INNER=1");
        long hostPid = host.remoteInfo(TIMEOUT).pid();
        assertEquals(hostPid, inner.remoteInfo(TIMEOUT).pid());
        assertEquals("1", inner.remoteExec("import os; channel.send(os.environ['INNER'])").receive(TIMEOUT));
        assertEquals(ExitOutcome.EXITED, inner.exit(TIMEOUT));
        assertFalse(inner.isAlive());
        assertEquals(hostPid, host.remoteInfo(TIMEOUT).pid(), "the host gateway lives on");
        Gateway again = group.makeGateway("socket//installvia=host//id=again");
        assertEquals(2, again.remoteExec("channel.send(2)").receive(TIMEOUT));
    }

    @Test
    void endingTheHostEndsTheGatewayInside() {
        Group group = group();
        Gateway host = group.makeGateway(POPEN + "//id=host");
        Gateway inner = group.makeGateway("socket//installvia=host");
        assertTrue(inner.isAlive());
        host.exit(TIMEOUT);
        assertThrows(GatewayClosedException.class, () -> inner.remoteExec("channel.receive()").receive(TIMEOUT));
        assertFalse(inner.isAlive());
    }

    @Test
    void groupTerminationEndsBoth() {
        Group group = group();
        group.makeGateway(POPEN + "//id=host");
        group.makeGateway("socket//installvia=host//id=inner");
        assertEquals(2, group.terminate(TIMEOUT).size());
        assertEquals(0, group.size());
    }

    @Test
    void oneBatchStartsTheHostBeforeTheGatewaysThatNeedIt() {
        Group group = group();
        List<Gateway> started = group.makeGateways(List.of(POPEN + "//id=host", "socket//installvia=host//id=inner",
                "popen//via=host//id=proxied", POPEN + "//id=alone"));
        assertEquals(List.of("host", "inner", "proxied", "alone"), started.stream().map(Gateway::id).toList());
        long hostPid = started.get(0).remoteInfo(TIMEOUT).pid();
        assertEquals(hostPid, started.get(1).remoteInfo(TIMEOUT).pid(), "installed inside the host's process");
        assertNotEquals(hostPid, started.get(3).remoteInfo(TIMEOUT).pid());
        assertEquals(3, started.get(2).remoteExec("channel.send(3)").receive(TIMEOUT));
    }

    @Test
    void anUnknownHostGatewayIsNamed() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> group().makeGateway("socket//installvia=nosuch"));
        assertTrue(e.getMessage().contains("installvia=nosuch names no gateway"), e.getMessage());
    }
}
