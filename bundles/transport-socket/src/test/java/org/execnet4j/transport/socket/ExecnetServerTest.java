package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.execnet4j.api.Gateway;
import org.junit.jupiter.api.Test;

/** The Java host and our agent over execnet's own, unchanged socketserver.py. */
class ExecnetServerTest extends SocketGatewayContract {

    @Override
    ServerProcess startServer() throws IOException {
        return execnetServer();
    }

    @Test
    void theGatewayRunsInsideExecnetsServerProcess() {
        Gateway gw = group().makeGateway(server.spec());
        assertEquals(server.pid(), gw.remoteInfo(TIMEOUT).pid());
        server.awaitLine("execnet's progress line", l -> l.contains("compiled source, executing"));
    }
}
