package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.PyTuple;
import org.execnet4j.serializer.LoadOptions;
import org.junit.jupiter.api.Test;

/** The plain-Java facade with the transports found through ServiceLoader. */
class ExecnetTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PYTHON = System.getProperty("execnet4j.python", "python3");

    @Test
    void makeGatewayRunsCodeInTheDefaultGroup() {
        Gateway gw = Execnet.makeGateway("popen//python=" + PYTHON);
        try {
            assertTrue(Execnet.defaultGroup().gateways().contains(gw));
            Channel ch = gw.remoteExec("import os; channel.send((channel.receive(), os.getpid()))");
            ch.send(42);
            PyTuple reply = (PyTuple) ch.receive(TIMEOUT);
            assertEquals(42, reply.get(0));
            assertEquals(gw.remoteInfo(TIMEOUT).pid(), ((Number) reply.get(1)).longValue());
        } finally {
            gw.exit();
        }
    }

    @Test
    void aNewGroupNamesGatewaysAndTerminatesThemAll() {
        Group group = Execnet.newGroup();
        Gateway first;
        Gateway second;
        try (group) {
            first = group.makeGateway("popen//python=" + PYTHON);
            second = group.makeGateway("popen//python=" + PYTHON + "//id=worker");
            assertEquals("gw0", first.id());
            assertEquals("worker", second.id());
            assertEquals(2, group.size());
            assertEquals(first, group.get("gw0").orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> group.makeGateway("popen//python=" + PYTHON + "//id=worker"));
            assertEquals(2, group.size());
        }
        assertFalse(first.isAlive());
        assertFalse(second.isAlive());
        assertEquals(0, group.size());
    }

    @Test
    void dumpsAndLoadsSpeakExecnetsFormat() {
        byte[] dump = Execnet.dumps(List.of(1, "a"));
        assertEquals(2, dump[0]);
        assertEquals(List.of(1, "a"), Execnet.loads(dump));
        byte[] py2String = {1, 'M', 0, 0, 0, 1, (byte) 0xe9, 'Q'};
        assertEquals("\u00e9", Execnet.loads(py2String, LoadOptions.DEFAULTS.withStringCoercion(true, false)));
    }
}
