package org.execnet4j.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The lines that start a warm interpreter: first the boot program (resource {@value #FILE_NAME}),
 * a few KB, which loads the socket server ({@link ServerProgram}) and the agent as bytecode from a
 * file of the cache directory on the interpreter's machine, and runs the server; only when that
 * file is missing or unusable does it answer {@code ?} (a line of its own on stdout) and read
 * {@link #source()}, the server's and the agent's source, which it compiles (and the server then
 * stores in that file for the next warm interpreter of this version). Compiling the two takes
 * most of a warm interpreter's start (about 65 ms of CPU on a quiet machine), unmarshalling them 1 ms.
 */
final class BootLines {
    /** The boot program's file name, a resource next to this class. */
    static final String FILE_NAME = "execnet4j_warm_boot.py";
    /** How the host starts the server: a warm interpreter, agent from the boot program. */
    private static final String SERVER_ARGS = "['--private-unix', '--host-pipe', '--booted']";
    private static final int NAME_HASH_CHARS = 16;

    private static final String PROGRAM = AgentProgram.readResource(FILE_NAME);

    /** The cache file's name (without interpreter version): the boot program's, server's and agent's source, hashed. */
    private static final String NAME = "warm-" + AgentProgram.sha256Hex(PROGRAM + "\u0000" + ServerProgram.text() + "\u0000"
            + AgentProgram.agentSource()).substring(0, NAME_HASH_CHARS);

    /** The source, escaped once, on first use (a cache miss). */
    private static final class Source {
        static final byte[] BYTES = (PythonLiteral.str(ServerProgram.text()) + "\n"
                + PythonLiteral.str(AgentProgram.agentSource()) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private BootLines() {
    }

    /**
     * The first line, which a fresh interpreter started with {@link AgentProgram#pythonArgs} runs.
     *
     * @param cacheDirectory the cache directory on the interpreter's machine: empty for none, an
     *     empty string for its default ({@code $XDG_CACHE_HOME/execnet4j} or {@code ~/.cache/execnet4j})
     * @param write whether the server may store the compiled code there (not for {@code python -B})
     */
    static byte[] first(Optional<String> cacheDirectory, boolean write) {
        String call = "_warm_boot(" + PythonLiteral.str(NAME) + ", "
                + cacheDirectory.map(PythonLiteral::str).orElse("None") + ", " + (write ? "True" : "False") + ", "
                + PythonLiteral.str(AgentProgram.agentSha256()) + ", "
                + SERVER_ARGS + ")\n";
        return (PythonLiteral.str(PROGRAM + call) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The two lines the boot program reads after its {@code ?}: the server's and the agent's source, str literals. */
    static byte[] source() {
        return Source.BYTES;
    }
}
