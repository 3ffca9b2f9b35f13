package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bootstrap of protocol.md §4: the interpreter arguments that make a fresh Python read one
 * line and execute it, and that line, a Python literal of our agent's source followed by the
 * call that starts it with this gateway's configuration.
 */
final class AgentProgram {
    /** The program Python runs from its command line: read one line, evaluate, execute. */
    static final String READ_LINE_PROGRAM = "import sys;exec(eval(sys.stdin.readline()))";

    private static final String AGENT_RESOURCE = "agent.py";

    /** The agent's source. */
    private static final String AGENT = readAgent();

    /** The agent's source as the body of a str literal, escaped once for all gateways. */
    private static final String ESCAPED_AGENT = escape(AGENT);

    /** The source as a str literal inside the bootstrap program, escaped again for the line. */
    private static final String ESCAPED_AGENT_LITERAL = escape("'" + ESCAPED_AGENT + "'");

    private AgentProgram() {
    }

    /** The interpreter arguments: {@code -u [-B] -c <read one line>}. */
    static List<String> pythonArgs(boolean dontWriteBytecode) {
        return dontWriteBytecode ? List.of("-u", "-B", "-c", READ_LINE_PROGRAM) : List.of("-u", "-c", READ_LINE_PROGRAM);
    }

    /** The agent's source text. */
    static String agentSource() {
        return AGENT;
    }

    /**
     * The one line sent to the interpreter, newline included, ASCII only: a literal of the agent's
     * source (or, when {@code compiled} is known, of a program that runs its bytecode if the
     * interpreter is still the one it was compiled for) followed by the call that starts it.
     */
    static byte[] bootstrapLine(Map<String, Object> config, Optional<CompiledAgents.Compiled> compiled) {
        String start = "\n_execnet4j_main(" + PythonLiteral.of(config) + ")\n";
        StringBuilder line = new StringBuilder(ESCAPED_AGENT_LITERAL.length() * 2 + 200).append('\'');
        if (compiled.isPresent()) {
            CompiledAgents.Compiled c = compiled.get();
            PythonLiteral.appendEscaped(line, "import sys\n"
                    + "if getattr(sys.implementation, 'cache_tag', None) == " + PythonLiteral.str(c.cacheTag())
                    + " and sys.hexversion == " + c.hexVersion() + ":\n"
                    + "    import marshal, binascii\n"
                    + "    exec(marshal.loads(binascii.a2b_base64('" + c.base64() + "')))\n"
                    + "else:\n"
                    + "    exec(");
            line.append(ESCAPED_AGENT_LITERAL);
            PythonLiteral.appendEscaped(line, ")" + start);
        } else {
            line.append(ESCAPED_AGENT);
            PythonLiteral.appendEscaped(line, start);
        }
        return line.append("'\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + text.length() / 8);
        PythonLiteral.appendEscaped(out, text);
        return out.toString();
    }

    private static String readAgent() {
        try (InputStream in = AgentProgram.class.getResourceAsStream(AGENT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the Python agent " + AGENT_RESOURCE + " is missing from the core bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Python agent", e);
        }
    }
}
