package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent compiled to CPython bytecode, per interpreter. Compiling the agent's source is a
 * third of an interpreter's start-up; after the first gateway to an interpreter, a throw-away
 * process of that interpreter compiles the agent once in the background and later bootstrap
 * lines carry the bytecode (with the source as fallback should the interpreter have changed).
 */
public final class CompiledAgents {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledAgents.class);
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ANSWER = 8 * 1024 * 1024;

    /** Defines {@code _answer(src)}: {@code <cache_tag> <hexversion> <base64 marshal>}, or {@code none}. */
    private static final String ANSWER = String.join("\n",
            "import sys, marshal, binascii",
            "def _answer(src):",
            "    tag = getattr(sys.implementation, 'cache_tag', None)",
            "    if sys.implementation.name != 'cpython' or not tag:",
            "        return 'none'",
            "    code = marshal.dumps(compile(src, '<string>', 'exec'))",
            "    return '%s %d %s' % (tag, sys.hexversion, binascii.b2a_base64(code, newline=False).decode('ascii'))",
            "");

    /** An interpreter's command-line program: reads the agent source from stdin, writes the answer to stdout. */
    private static final String COMPILER = ANSWER + "sys.stdout.write(_answer(sys.stdin.buffer.read().decode('utf-8')))\n";

    /** A socket server's one line: the answer for the agent source it carries, written to the connection. */
    private static final class SocketCompiler {
        static final byte[] LINE = PythonLiteral.str(ANSWER
                + "clientsock.sendall(_answer(" + PythonLiteral.str(AgentProgram.agentSource()) + ").encode('ascii'))\n"
                + "import socket\n"
                + "clientsock.shutdown(socket.SHUT_RDWR)\n").concat("\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytecode for one interpreter version, marshalled, zlib-compressed and base64-encoded. */
    record Compiled(String cacheTag, long hexVersion, String compressedBase64) {
    }

    /** Compiled agents by interpreter; an empty value means "asked, not cacheable". */
    private final Map<String, Optional<Compiled>> byInterpreter = new ConcurrentHashMap<>();

    /** The bytecode for the spec's interpreter, if it was compiled already. */
    Optional<Compiled> get(Spec spec) {
        return key(spec).flatMap(k -> byInterpreter.getOrDefault(k, Optional.empty()));
    }

    /** Compiles the agent for the spec's interpreter in the background, once. */
    public void learn(Spec spec, Transport transport) {
        key(spec).ifPresent(key -> {
            if (byInterpreter.putIfAbsent(key, Optional.empty()) == null) {
                Thread t = new Thread(() -> byInterpreter.put(key, compile(spec, transport)), "execnet4j-agent-compiler");
                t.setDaemon(true);
                t.start();
            }
        });
    }

    /** One interpreter per transport type, target and python; proxied and installed gateways are not cached. */
    private static Optional<String> key(Spec spec) {
        if (spec.via().isPresent() || spec.has("installvia")) {
            return Optional.empty();
        }
        return Optional.of(spec.type() + "\u0000" + spec.target().orElse("") + "\u0000" + spec.python().orElse(""));
    }

    /** Reads until the remote closes; a remote that takes longer than the compile timeout is killed. */
    private static String readAnswer(Connection connection) throws IOException {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(COMPILE_TIMEOUT.toMillis());
                connection.kill();
            } catch (InterruptedException e) {
                // answered in time
            }
        }, "execnet4j-agent-compiler-deadline");
        deadline.setDaemon(true);
        deadline.start();
        try (InputStream in = connection.input()) {
            return new String(in.readNBytes(MAX_ANSWER), StandardCharsets.US_ASCII).strip();
        } finally {
            deadline.interrupt();
        }
    }

    private static Optional<Compiled> compile(Spec spec, Transport transport) {
        Connection connection = null;
        try {
            if (transport.connectsToServer()) {
                connection = transport.open(spec, List.of());
                connection.output().write(SocketCompiler.LINE);
                connection.output().flush();
            } else {
                connection = transport.open(spec, List.of("-c", COMPILER));
                try (OutputStream out = connection.output()) {
                    out.write(AgentProgram.agentSource().getBytes(StandardCharsets.UTF_8));
                }
            }
            String answer = readAnswer(connection);
            connection.waitFor(COMPILE_TIMEOUT);
            String[] parts = answer.split(" ");
            if (parts.length != 3) {
                return Optional.empty();
            }
            byte[] marshalled = Base64.getDecoder().decode(parts[2]);
            return Optional.of(new Compiled(parts[0], Long.parseLong(parts[1]), AgentProgram.compressedBase64(marshalled)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot compile the agent for {}: {}", spec, e.toString());
            return Optional.empty();
        } finally {
            if (connection != null) {
                connection.kill();
            }
        }
    }
}
