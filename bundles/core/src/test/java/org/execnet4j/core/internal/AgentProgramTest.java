package org.execnet4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The agent program as the engine assembles and sends it. */
class AgentProgramTest {

    @Test
    void coldSectionsAreAssembledIntoOneProgramWithoutTheTestOnlyCodec() throws Exception {
        String probe = String.join("\n",
                "import sys",
                "ns = {'__name__': 'agent'}",
                "exec(compile(sys.stdin.read(), '<agent>', 'exec'), ns)",
                "green = ns['_load_cold']('green')",
                "files = ns['_load_cold']('files')",
                "print(sorted(ns['_COLD_SECTIONS']), 'EventletModel' in green, 'GeventModel' in green,",
                "      'ChannelFileRead' in files, 'dumps' in ns, 'loads' in ns)");
        Process p = new ProcessBuilder(System.getProperty("execnet4j.python", "python3"), "-c", probe)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(AgentProgram.agentSource().getBytes(StandardCharsets.UTF_8));
            }
            String answer;
            try (InputStream out = p.getInputStream()) {
                answer = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            assertEquals("['files', 'green'] True True True False False", answer);
            p.waitFor(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSocketServersFirstLineCarriesNoAgentTheSecondOneDoes() {
        int first = AgentProgram.serverBootstrapLine(Map.of("id", "gw0-worker", "io", "socket")).length;
        int agent = AgentProgram.serverAgentLine(Optional.empty()).length;
        assertTrue(first < 2048, "the first line is short: " + first + " bytes");
        assertTrue(agent > 20 * first, "the agent comes only when asked: " + agent + " bytes");
    }

    /** A bootstrap line with bytecode for another interpreter falls back to the agent's source. */

    @Test
    void bytecodeForAnotherInterpreterFallsBackToTheSource() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", "gw-fallback-worker");
        byte[] line = AgentProgram.bootstrapLine(config,
                Optional.of(new CompiledAgents.Compiled("cpython-0", 1, Optional.of(AgentProgram.compressedBase64("not bytecode".getBytes(java.nio.charset.StandardCharsets.US_ASCII))), Optional.empty())));
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
