package org.execnet4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A bootstrap line with bytecode for another interpreter falls back to the agent's source. */
class AgentProgramTest {

    @Test
    void bytecodeForAnotherInterpreterFallsBackToTheSource() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", "gw-fallback-worker");
        byte[] line = AgentProgram.bootstrapLine(config,
                Optional.of(new CompiledAgents.Compiled("cpython-0", 1, AgentProgram.compressedBase64("not bytecode".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))));
        Process p = new ProcessBuilder(System.getProperty("execnet4j.python", "python3"), "-u", "-c",
                AgentProgram.READ_LINE_PROGRAM).start();
        try {
            try (OutputStream in = p.getOutputStream(); InputStream out = p.getInputStream()) {
                in.write(line);
                in.flush();
                assertEquals('1', out.read(), "the agent started from its source and answered the handshake");
            }
            p.waitFor(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
    }
}
