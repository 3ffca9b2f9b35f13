package org.execnet4j.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;

/**
 * The bootstrap of protocol.md §4: the interpreter arguments that make a fresh Python read one
 * line and execute it, and that line, a Python literal of our agent's source followed by the
 * call that starts it with this gateway's configuration.
 */
final class AgentProgram {
    /** The program Python runs from its command line: read one line, evaluate, execute. */
    static final String READ_LINE_PROGRAM = "import sys;exec(eval(sys.stdin.readline()))";

    private static final String AGENT_RESOURCE = "agent.py";

    /**
     * The agent's cold sections, resources {@code agent_<name>.py}: code most gateways never run,
     * appended to the agent as str literals in its {@code _COLD_SECTIONS} dict and compiled by the
     * remote on first use (agent.py {@code _load_cold}).
     */
    static final List<String> COLD_SECTIONS = List.of("green", "files");

    /** The agent's source: agent.py with its cold sections appended, one program on the wire. */
    private static final String AGENT = assemble();

    /** The SHA-256 (hex) of the agent's source in UTF-8, as a server that preloaded it announces it. */
    private static final String AGENT_SHA256 = sha256Hex(AGENT);

    /** The agent's source as the body of a str literal, escaped once for all gateways. */
    private static final String ESCAPED_AGENT = escape(AGENT);

    /** The source compressed, for the fallback branch of a bytecode bootstrap; made on first use. */
    private static final class CompressedAgent {
        static final String BASE64 = compressedBase64(AGENT.getBytes(StandardCharsets.UTF_8));

        /** A program that executes the compressed source. */
        static String loader() {
            return "import binascii, zlib\nexec(zlib.decompress(binascii.a2b_base64('" + BASE64 + "')).decode('utf-8'))\n";
        }
    }

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

    /** The SHA-256 (hex) of {@link #agentSource()} in UTF-8. */
    static String agentSha256() {
        return AGENT_SHA256;
    }

    /**
     * The byte a socket server's process sends instead of the handshake when it does not keep
     * this agent loaded: the host then sends {@link #serverAgentLine} and reads the handshake.
     */
    static final int AGENT_WANTED = '?';

    /**
     * The first line for a socket server (the global {@code clientsock} holds the connection),
     * a few hundred bytes: it starts the agent the server keeps loaded (execnet4j's server
     * announces it as the global {@code _execnet4j_warm}) if its hash is this agent's; else it
     * sends {@link #AGENT_WANTED}, reads one more line, {@link #serverAgentLine}, which loads the
     * agent, and starts that. So a server that has the agent compiles a short line only, and
     * execnet's own server still gets the whole agent.
     */
    static byte[] serverBootstrapLine(Map<String, Object> config) {
        String arguments = "(" + PythonLiteral.of(config) + ")\n";
        return line("_w = globals().get('_execnet4j_warm')\n"
                + "if _w is not None and _w.get('_execnet4j_agent_sha256') == '" + AGENT_SHA256 + "':\n"
                + "    _w['clientsock'] = clientsock\n"
                + "    _w['_execnet4j_main']" + arguments
                + "else:\n"
                + "    clientsock.sendall(b'" + (char) AGENT_WANTED + "')\n"
                + "    _l = b''\n"
                + "    while not _l.endswith(b'\\n'):\n"
                + "        _c = clientsock.recv(65536)\n"
                + "        if not _c:\n"
                + "            raise SystemExit('execnet4j: the host closed the connection before it sent the agent')\n"
                + "        _l += _c\n"
                + "    exec(eval(_l))\n"
                + "    _execnet4j_main" + arguments);
    }

    /**
     * The line a socket server's process asks for with {@link #AGENT_WANTED}: a literal of a
     * program that loads the agent (as bytecode when {@code compiled} carries it and matches the
     * interpreter, else from its compressed source) into the caller's namespace.
     */
    static byte[] serverAgentLine(Optional<CompiledAgents.Compiled> compiled) {
        return line(compiled.filter(CompiledAgents.Compiled::carriesBytecode).map(AgentProgram::bytecodeLoader)
                .orElseGet(CompressedAgent::loader));
    }

    /**
     * The one line for a process forked from a warm interpreter that loaded this agent (the
     * global {@code _execnet4j_warm} holds its namespace): starts it, after turning off bytecode
     * writing when asked ({@code -B} of a fresh interpreter).
     */
    static byte[] warmBootstrapLine(Map<String, Object> config, boolean dontWriteBytecode) {
        return line((dontWriteBytecode ? "import sys\nsys.dont_write_bytecode = True\n" : "")
                + "_execnet4j_warm['_execnet4j_main'](" + PythonLiteral.of(config) + ")\n");
    }

    private static byte[] line(String program) {
        return PythonLiteral.str(program).concat("\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The one line sent to the interpreter, newline included, ASCII only: a literal of the agent's
     * source (or, when {@code compiled} carries bytecode, of a program that runs it if the
     * interpreter is still the one it was compiled for) followed by the call that starts it.
     * When the bytecode is in the agent cache, use {@link #cachedAgentLine} instead.
     */
    static byte[] bootstrapLine(Map<String, Object> config, Optional<CompiledAgents.Compiled> compiled) {
        String start = startCall(config);
        StringBuilder line = new StringBuilder(ESCAPED_AGENT.length() + 200).append('\'');
        if (compiled.filter(CompiledAgents.Compiled::carriesBytecode).isPresent()) {
            PythonLiteral.appendEscaped(line, bytecodeLoader(compiled.get()) + start);
        } else {
            line.append(ESCAPED_AGENT);
            PythonLiteral.appendEscaped(line, start);
        }
        return line.append("'\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The short first line when the agent's bytecode is in a file of the agent cache: an
     * interpreter of the version it was compiled for reads the file and, if its length and CRC-32
     * are the entry's, runs it; any other sends {@link #AGENT_WANTED} instead and runs the line
     * it gets then, {@link #serverAgentLine} (which also loads the agent); then the agent starts.
     */
    static byte[] cachedAgentLine(Map<String, Object> config, CompiledAgents.Compiled compiled, AgentCache.Entry file) {
        return line("import sys\n"
                + "_c = None\n"
                + "if " + interpreterIs(compiled) + ":\n"
                + "    try:\n"
                + "        import marshal, zlib\n"
                + "        with open(" + PythonLiteral.str(file.file().toString()) + ", 'rb') as _f:\n"
                + "            _c = _f.read()\n"
                + "        _c = marshal.loads(_c) if len(_c) == " + file.length() + " and zlib.crc32(_c) == " + file.crc32()
                + " else None\n"
                + "    except Exception:\n"
                + "        _c = None\n"
                + "if _c is None:\n"
                + "    import os\n"
                + "    os.write(1, b'" + (char) AGENT_WANTED + "')\n"
                + "    exec(eval(sys.stdin.readline()))\n"
                + "else:\n"
                + "    exec(_c)\n"
                + "del _c\n"
                + startCall(config).substring(1));
    }

    private static String startCall(Map<String, Object> config) {
        return "\n_execnet4j_main(" + PythonLiteral.of(config) + ")\n";
    }

    private static String interpreterIs(CompiledAgents.Compiled c) {
        return "getattr(sys.implementation, 'cache_tag', None) == " + PythonLiteral.str(c.cacheTag())
                + " and sys.hexversion == " + c.hexVersion();
    }

    /** A program that executes the agent's bytecode if the interpreter is the one it was compiled for, else its source. */
    private static String bytecodeLoader(CompiledAgents.Compiled c) {
        return "import sys, binascii, zlib\n"
                + "if " + interpreterIs(c) + ":\n"
                + "    import marshal\n"
                + "    exec(marshal.loads(zlib.decompress(binascii.a2b_base64('" + c.compressedBase64().orElseThrow() + "'))))\n"
                + "else:\n"
                + "    exec(zlib.decompress(binascii.a2b_base64('" + CompressedAgent.BASE64 + "')).decode('utf-8'))\n";
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** zlib-compressed (as Python's zlib.decompress reads it), then base64. */
    static String compressedBase64(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        byte[] chunk = new byte[8192];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + text.length() / 8);
        PythonLiteral.appendEscaped(out, text);
        return out.toString();
    }

    private static String assemble() {
        StringBuilder program = new StringBuilder(readResource(AGENT_RESOURCE));
        for (String name : COLD_SECTIONS) {
            program.append("\n_COLD_SECTIONS[").append(PythonLiteral.str(name)).append("] = ")
                    .append(PythonLiteral.str(readResource("agent_" + name + ".py"))).append('\n');
        }
        return program.toString();
    }

    /** A resource of the Python side, next to this class. */
    static String readResource(String name) {
        try (InputStream in = AgentProgram.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the Python agent's " + name + " is missing from the core bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Python agent's " + name, e);
        }
    }
}
