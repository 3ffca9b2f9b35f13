package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The bootstrap of protocol.md §4: the interpreter arguments that make a fresh Python read one
 * line and execute it, and that line, a Python literal of our agent's source followed by the
 * call that starts it with this gateway's configuration.
 */
final class AgentProgram {
    /** The program Python runs from its command line: read one line, evaluate, execute. */
    static final String READ_LINE_PROGRAM = "import sys;exec(eval(sys.stdin.readline()))";

    private static final String AGENT_RESOURCE = "agent.py";

    /** The agent's source, escaped once for all gateways (it is sent at every start). */
    private static final String ESCAPED_AGENT = escapedAgent();

    private AgentProgram() {
    }

    /** The interpreter arguments: {@code -u [-B] -c <read one line>}. */
    static List<String> pythonArgs(boolean dontWriteBytecode) {
        return dontWriteBytecode ? List.of("-u", "-B", "-c", READ_LINE_PROGRAM) : List.of("-u", "-c", READ_LINE_PROGRAM);
    }

    /** The one line sent to the interpreter, newline included, ASCII only. */
    static byte[] bootstrapLine(Map<String, Object> config) {
        StringBuilder line = new StringBuilder(ESCAPED_AGENT.length() + 200);
        line.append('\'').append(ESCAPED_AGENT);
        PythonLiteral.appendEscaped(line, "\n_execnet4j_main(" + PythonLiteral.of(config) + ")\n");
        line.append("'\n");
        return line.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String escapedAgent() {
        try (InputStream in = AgentProgram.class.getResourceAsStream(AGENT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the Python agent " + AGENT_RESOURCE + " is missing from the core bundle");
            }
            StringBuilder out = new StringBuilder();
            PythonLiteral.appendEscaped(out, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Python agent", e);
        }
    }
}
