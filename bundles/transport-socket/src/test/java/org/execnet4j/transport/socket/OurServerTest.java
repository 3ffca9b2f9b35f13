package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;

/** The Java host over execnet4j's socket server: the contract, plus what our server does better. */
class OurServerTest extends SocketGatewayContract {

    @Override
    ServerProcess startServer() throws IOException {
        return ourServer("--handshake-timeout", "2");
    }

    @Test
    void eachGatewayGetsItsOwnProcessAndTwentyRunAtOnce() {
        Group group = group();
        List<Gateway> gateways = group.makeGateways(Collections.nCopies(20, server.spec()));
        Set<Long> pids = new HashSet<>();
        for (Gateway gw : gateways) {
            gw.remoteExec("channel.receive()");          // all twenty busy at the same time
            pids.add(gw.remoteInfo(TIMEOUT).pid());
        }
        assertEquals(20, pids.size());
        assertTrue(!pids.contains(server.pid()));
        for (Gateway gw : gateways) {
            assertEquals(7, gw.remoteExec("channel.send(7)").receive(TIMEOUT));
        }
    }

    @Test
    void theGatewayRunsTheAgentTheServerKeepsLoadedAndExecnetsServerGetsItWhole() throws Exception {
        String agentIsPreloaded = "channel.send('_execnet4j_agent_sha256' in type(channel.gateway).__init__.__globals__)";
        assertEquals(true, group().makeGateway(server.spec()).remoteExec(agentIsPreloaded).receive(TIMEOUT),
                "over our server the host sends the short line only");
        try (ServerProcess execnets = ServerProcess.execnets()) {
            assertEquals(false, group().makeGateway(execnets.spec()).remoteExec(agentIsPreloaded).receive(TIMEOUT),
                    "execnet's server asks for the agent, and gets it");
        }
    }

    @Test
    void theReceiverRunsInTheThreadItsProcessStartedBeforeTheConnection() {
        String threads = "import threading\n"
                + "channel.send(sorted([t.name, t._target.__qualname__] for t in threading.enumerate()"
                + " if t is not threading.main_thread()))";
        assertEquals(List.of(List.of("execnet4j-receiver", "_ParkedThread._wait")),
                group().makeGateway(server.spec()).remoteExec(threads).receive(TIMEOUT),
                "one thread besides the main thread: the one parked while the process waited for its connection");
    }

    @Test
    void aCrashingGatewayDoesNotTakeTheServerDown() {
        Group group = group();
        Gateway doomed = group.makeGateway(server.spec());
        doomed.remoteExec("import os\nos._exit(3)");
        assertThrows(GatewayClosedException.class, () -> doomed.remoteExec("channel.receive()").receive(TIMEOUT));
        server.awaitLine("the crash logged", l -> l.contains("exited with status 3"));
        assertEquals(1, group.makeGateway(server.spec()).remoteExec("channel.send(1)").receive(TIMEOUT));
    }

    @Test
    void garbageSilenceAndHalfALineDoNotStopTheServer() throws Exception {
        try (Socket garbage = connect(); Socket silent = connect(); Socket half = connect()) {
            send(garbage, "import os; os.system('touch /tmp/pwned')\n");
            send(half, "'import sys\\n");
            half.close();
            Gateway gw = group().makeGateway(server.spec());
            assertEquals(5, gw.remoteExec("channel.send(5)").receive(TIMEOUT), "served while the others hang or fail");
            server.awaitLine("the garbage refused", l -> l.contains("refused: the first line is not a Python string literal"));
            server.awaitLine("the half line noted", l -> l.contains("closed by the client before its bootstrap line"));
            server.awaitLine("the silent client timed out", l -> l.contains("timed out waiting for the client"));
            assertEquals(-1, silent.getInputStream().read(), "the server closed the silent connection");
        }
        assertEquals(2, group().makeGateway(server.spec()).remoteExec("channel.send(2)").receive(TIMEOUT));
    }

    @Test
    void sigtermStopsTheServerAndItsGateways() throws Exception {
        Gateway gw = group().makeGateway(server.spec());
        long remotePid = gw.remoteInfo(TIMEOUT).pid();
        assertNotEquals(server.pid(), remotePid);
        server.stopCleanly();
        assertTrue(server.lines().stream().anyMatch(l -> l.endsWith("stopped")), server.lines().toString());
        assertThrows(GatewayClosedException.class, () -> gw.remoteExec("channel.receive()").receive(TIMEOUT));
        assertTrue(ProcessHandle.of(remotePid).map(p -> !p.isAlive()).orElse(true)
                || Leftovers.describe(Set.of(remotePid)).isEmpty());
    }

    @Test
    void aGatewayLeadsItsOwnSessionAndWhatItStartedEndsWithIt() throws Exception {
        Gateway gw = group().makeGateway(server.spec());
        assertEquals(true, gw.remoteExec("import os\nchannel.send(os.getsid(0) == os.getpid())").receive(TIMEOUT),
                "the gateway's process leads a session (and process group) of its own");
        String orphan = "import subprocess\n"
                + "channel.send(int(subprocess.check_output(['sh', '-c', 'sleep 777 >/dev/null 2>&1 & echo $!'])))";
        long sleeper = ((Number) gw.remoteExec(orphan).receive(TIMEOUT)).longValue();
        try {
            assertTrue(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false), "the orphan runs");
            gw.exit(TIMEOUT);
            Await.await("the orphan in the gateway's process group to end as the server reaps the gateway",
                    () -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
        } finally {
            ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void logsOneLinePerConnectionWithPeerAndOutcome() {
        Gateway gw = group().makeGateway(server.spec());
        long remotePid = gw.remoteInfo(TIMEOUT).pid();
        gw.exit(TIMEOUT);
        String line = server.awaitLine("the connection's line", l -> l.endsWith("(pid " + remotePid + ")"));
        assertTrue(line.matches(".*: 127\\.0\\.0\\.1:\\d+ served \\(pid \\d+\\)"), line);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
