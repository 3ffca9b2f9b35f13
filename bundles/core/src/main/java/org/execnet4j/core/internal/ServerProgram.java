package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * execnet4j's socket server (a Python program, resource {@value #FILE_NAME}), which is also the
 * warm interpreter of popen gateways ({@link WarmInterpreters}).
 */
public final class ServerProgram {
    /** The program's file name, a resource next to this class. */
    public static final String FILE_NAME = "execnet4j_socketserver.py";

    /** The line of the program that a copy with the agent embedded replaces. */
    private static final String NO_AGENT = "_EMBEDDED_AGENT = None\n";

    private static final String TEXT = read();

    private ServerProgram() {
    }

    /** @return the program's source, without an agent: it serves every client, loading nothing ahead */
    public static String text() {
        return TEXT;
    }

    /** @return the program's source with this version's agent embedded, so it keeps the agent loaded */
    public static String withAgent() {
        return TEXT.replace(NO_AGENT, "_EMBEDDED_AGENT = " + PythonLiteral.str(AgentProgram.agentSource()) + "\n");
    }

    private static String read() {
        try (InputStream in = ServerProgram.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(FILE_NAME + " is missing from the core bundle");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.contains("\n" + NO_AGENT)) {
                throw new IllegalStateException(FILE_NAME + " lacks its line " + NO_AGENT.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE_NAME, e);
        }
    }
}
