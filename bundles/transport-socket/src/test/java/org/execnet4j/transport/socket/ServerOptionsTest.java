package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.junit.jupiter.api.Test;

/** The server's command line: bind address, IPv6, --once, --max-clients; and the script in the jar. */
class ServerOptionsTest extends SocketTestBase {

    @Test
    void withoutAHostItListensOnLoopbackOnly() throws Exception {
        ServerProcess server = ourServer("--bind", ":0");
        assertEquals("127.0.0.1", server.address().substring(0, server.address().indexOf(':')));
        assertTrue(server.lines().stream().noneMatch(l -> l.contains("WARNING")), server.lines().toString());
    }

    @Test
    void anyOtherAddressIsWarnedAbout() throws Exception {
        ServerProcess server = ourServer("--bind", "0.0.0.0:0");
        String warning = server.awaitLine("the warning", l -> l.contains("WARNING"));
        assertTrue(warning.contains("anyone who can reach this port can run any code as this user"), warning);
        // loopback reaches it too
        assertEquals(1, group().makeGateway("socket=127.0.0.1:" + server.port()).remoteExec("channel.send(1)").receive(TIMEOUT));
    }

    @Test
    void ipv6Loopback() throws Exception {
        ServerProcess server = ourServer("--bind", "[::1]:0");
        Gateway gw = group().makeGateway("socket=[::1]:" + server.port());
        long remotePid = gw.remoteInfo(TIMEOUT).pid();
        gw.exit(TIMEOUT);
        String line = server.awaitLine("the IPv6 peer", l -> l.endsWith("(pid " + remotePid + ")"));
        assertTrue(line.contains(": [::1]:"), line);
    }

    @Test
    void onceServesOneGatewayAndExits() throws Exception {
        ServerProcess server = ourServer("--once");
        Gateway gw = group().makeGateway(server.spec());
        assertEquals(1, gw.remoteExec("channel.send(1)").receive(TIMEOUT));
        assertTrue(server.process().isAlive(), "serving while the gateway lives");
        gw.exit(TIMEOUT);
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "exits after its one gateway");
        assertEquals(0, server.process().exitValue(), server.lines().toString());
    }

    @Test
    void maxClientsRefusesTheOneTooMany() throws Exception {
        ServerProcess server = ourServer("--max-clients", "1");
        Group group = group();
        Gateway first = group.makeGateway(server.spec());
        Channel busy = first.remoteExec("channel.receive()");
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> group.makeGateway(server.spec()));
        assertTrue(e.getMessage().contains(server.spec()), e.getMessage());
        server.awaitLine("the refusal", l -> l.contains("refused: 1 gateways already served (--max-clients)"));
        busy.send(null);
        first.exit(TIMEOUT);
        server.awaitLine("the first gateway's end", l -> l.contains(" served (pid "));
        assertEquals(2, group.makeGateway(server.spec()).remoteExec("channel.send(2)").receive(TIMEOUT));
    }

    @Test
    void theJarPrintsTheScript() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            SocketServerScript.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(SocketServerScript.text(), text);
        assertTrue(text.startsWith("#!/usr/bin/env python3\n"));
    }
}
