package org.execnet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.junit.jupiter.api.Test;

/** After the first gateway to an interpreter, later ones bootstrap the agent as bytecode (CPython). */
class CompiledAgentTest {

    @Test
    void laterGatewaysSendBytecode() throws Exception {
        String python = Gateways.python();
        org.junit.jupiter.api.Assumptions.assumeFalse(python.contains("pypy"), "bytecode caching is for CPython");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        GatewayLauncher launcher = new GatewayLauncher(type -> Optional.of(TeeingTransport.of(type, written)),
                EngineSettings.DEFAULTS);
        Spec spec = Spec.parse("popen//python=" + python);
        launcher.launch(spec, "first").exit(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String line;
        Gateway gw;
        do {
            synchronized (written) {
                written.reset();
            }
            gw = launcher.launch(spec, "later");
            synchronized (written) {
                line = written.toString(StandardCharsets.US_ASCII);
            }
            if (!line.contains("marshal.loads")) {
                gw.exit(Duration.ofSeconds(5));
            }
        } while (!line.contains("marshal.loads") && System.nanoTime() < deadline);
        try {
            assertTrue(line.contains("marshal.loads"), "a later bootstrap line carries bytecode");
            assertEquals(42, gw.remoteExec("channel.send(6 * 7)").receive(Duration.ofSeconds(20)));
        } finally {
            gw.exit(Duration.ofSeconds(5));
        }
    }
}
