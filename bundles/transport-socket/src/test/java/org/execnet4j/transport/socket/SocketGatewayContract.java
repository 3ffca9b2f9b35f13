package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteError;
import org.execnet4j.api.RemoteStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a Java host does with a socket gateway, the same against every server. */
abstract class SocketGatewayContract extends SocketTestBase {
    ServerProcess server;

    abstract ServerProcess startServer() throws IOException;

    @BeforeEach
    void start() throws IOException {
        server = startServer();
    }

    @Test
    void channelsBothWays() {
        Gateway gw = group().makeGateway(server.spec());
        Channel echo = gw.remoteExec("for x in channel:\n    channel.send(x)\n");
        for (Object value : List.of(1, "two", PyTuple.of(3.0, List.of(4L << 40)), Map.of("k", new byte[] {5}))) {
            echo.send(value);
            Object back = echo.receive(TIMEOUT);
            assertEquals(value instanceof Map ? "k" : value.toString(),
                    value instanceof Map ? ((Map<?, ?>) back).keySet().iterator().next() : back.toString());
        }
        echo.close();
        echo.waitClose(TIMEOUT);

        Channel mine = gw.newChannel();
        Channel passer = gw.remoteExec("""
                theirs = channel.receive()
                theirs.send('over your channel')
                new = channel.gateway.newchannel()
                channel.send(new)
                new.send('over mine')
                """);
        passer.send(mine);
        assertEquals("over your channel", mine.receive(TIMEOUT));
        Channel created = (Channel) passer.receive(TIMEOUT);
        assertEquals("over mine", created.receive(TIMEOUT));
        passer.waitClose(TIMEOUT);
    }

    @Test
    void remoteErrorsCarryTheTraceback() {
        Gateway gw = group().makeGateway(server.spec());
        Channel ch = gw.remoteExec("raise ValueError('boom over a socket')");
        RemoteError e = assertThrows(RemoteError.class, () -> ch.waitClose(TIMEOUT));
        assertTrue(e.getMessage().contains("ValueError: boom over a socket"), e.getMessage());
        assertEquals(2, gw.remoteExec("channel.send(1 + 1)").receive(TIMEOUT), "the gateway lives on");
    }

    @Test
    void statusInfoAndReconfigure() {
        Gateway gw = group().makeGateway(server.spec());
        Channel busy = gw.remoteExec("channel.receive()");
        RemoteStatus status = gw.remoteStatus(TIMEOUT);
        assertEquals(1, status.numExecuting());
        assertEquals("thread", status.execmodel());
        busy.send(null);
        busy.waitClose(TIMEOUT);
        assertNotEquals(ProcessHandle.current().pid(), gw.remoteInfo(TIMEOUT).pid());
        gw.reconfigure(true, false);
        Channel ch = gw.remoteExec("channel.send(channel.receive() * 2)");
        ch.send("ab");
        assertEquals("abab", ch.receive(TIMEOUT));
    }

    @Test
    void specOptionsApplyOnTheRemote() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Gateway gw = group().makeGateway(server.spec() + "//id=sock1//chdir=" + work + "//env:EXECNET4J_SOCKET_TEST=yes"
                + "//execmodel=main_thread_only");
        assertEquals("sock1", gw.id());
        Channel ch = gw.remoteExec("import os\nchannel.send((os.getcwd(), os.environ['EXECNET4J_SOCKET_TEST']))");
        assertEquals(PyTuple.of(work.toRealPath().toString(), "yes"), ch.receive(TIMEOUT));
        assertEquals("main_thread_only", gw.remoteStatus(TIMEOUT).execmodel());
    }

    @Test
    void terminationEndsTheGatewayAndTheServerServesTheNext() {
        Group group = group();
        Gateway first = group.makeGateway(server.spec());
        Channel waiting = first.remoteExec("channel.receive()");
        assertEquals(ExitOutcome.EXITED, first.exit(TIMEOUT));
        assertFalse(first.isAlive());
        assertThrows(GatewayClosedException.class, () -> waiting.receive(TIMEOUT));
        assertThrows(GatewayClosedException.class, () -> first.remoteExec("pass"));
        Gateway second = group.makeGateway(server.spec());
        assertEquals(3, second.remoteExec("channel.send(3)").receive(TIMEOUT));
        assertTrue(server.process().isAlive());
    }
}
