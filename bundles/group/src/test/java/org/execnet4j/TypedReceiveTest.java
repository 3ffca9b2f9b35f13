package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.PyTuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Typed receive and try-with-resources on channels and gateways, against a real interpreter. */
class TypedReceiveTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Group group = Execnet.newGroup("typed");

    @AfterEach
    void terminate() {
        group.terminate(Duration.ofSeconds(5));
    }

    @Test
    void itemsComeBackAsTheTypeAskedFor() {
        Gateway gw = group.makeGateway(GroupTest.POPEN);
        try (Channel ch = gw.remoteExec("channel.send('s'); channel.send(7); channel.send(7); channel.send(7); "
                + "channel.send((1, 2)); channel.send(2**70); channel.send(True)")) {
            assertEquals("s", ch.receive(String.class, TIMEOUT));
            assertEquals(7, ch.receive(int.class, TIMEOUT));
            assertEquals(7L, ch.receive(Long.class, TIMEOUT));
            assertEquals(BigInteger.valueOf(7), ch.receive(BigInteger.class, TIMEOUT));
            assertEquals(PyTuple.of(1, 2), ch.receive(PyTuple.class, TIMEOUT));
            assertEquals(BigInteger.TWO.pow(70), ch.receive(BigInteger.class));
            ClassCastException e = assertThrows(ClassCastException.class, () -> ch.receive(String.class, TIMEOUT));
            assertTrue(e.getMessage().contains("expected String but received Boolean true"), e.getMessage());
            assertTrue(e.getMessage().contains(gw.id()), e.getMessage());
        }
    }

    @Test
    void closingByTryWithResourcesEndsChannelAndGateway() {
        Gateway outer;
        Channel seen;
        try (Gateway gw = group.makeGateway(GroupTest.POPEN)) {
            outer = gw;
            try (Channel ch = gw.remoteExec("for item in channel:\n    pass\nchannel.gateway._trace('done')")) {
                seen = ch;
                ch.send(1);
            }
            assertTrue(seen.isClosed());
        }
        assertFalse(outer.isAlive());
    }
}
