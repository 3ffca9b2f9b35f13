package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Python execnet hosts (Debian's python3-execnet) with execnet4j's socket server. */
class PythonHostTest extends SocketTestBase {

    private String runHost(String address) throws IOException, InterruptedException {
        Path script = dir.resolve("execnet_host.py");
        try (InputStream in = getClass().getResourceAsStream("execnet_host.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process host = new ProcessBuilder(ServerProcess.PYTHON, script.toString(), address).redirectErrorStream(true).start();
        String output = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(host.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, host.exitValue(), output);
        return output.strip();
    }

    @Test
    void anExecnetHostWorksWithOurServer() throws Exception {
        ServerProcess server = ourServer();
        String output = runHost(server.address());
        assertTrue(output.matches("ok \\d+ \\d+"), output);
        for (String pid : output.substring(3).split(" ")) {
            server.awaitLine("the gateway " + pid + " logged", l -> l.endsWith(" served (pid " + pid + ")"));
        }
    }

    @Test
    void anExecnetHostIsRefusedByATokenServerBeforeAnyCodeRuns() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "secret");
        ServerProcess server = ourServer("--token-file", token.toString());
        Process host = new ProcessBuilder(ServerProcess.PYTHON, "-c",
                "import execnet; execnet.makegateway('socket=" + server.address() + "')").redirectErrorStream(true).start();
        String output = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(host.waitFor(60, TimeUnit.SECONDS));
        assertTrue(host.exitValue() != 0, output);
        server.awaitLine("the refusal", l -> l.contains("refused: no token"));
    }

}
