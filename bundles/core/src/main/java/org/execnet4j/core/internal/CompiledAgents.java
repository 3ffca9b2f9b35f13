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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent compiled to CPython bytecode, per interpreter. Compiling the agent's source is a
 * third of an interpreter's start-up; after the first gateway to an interpreter, a throw-away
 * process of that interpreter compiles the agent once in the background and later bootstrap
 * lines carry the bytecode (with the source as fallback should the interpreter have changed), or,
 * when the bytecode is in the {@link AgentCache} on this machine, only the name of its file.
 *
 * <p>The compiling process is bounded: it is killed when it has not answered within the timeout
 * (an interpreter wrapper that never reads its input), and by {@link #abort()} (a group's
 * terminate); its stderr is not read (closed at once, so it can never block on it).
 */
public final class CompiledAgents {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledAgents.class);
    private static final int MAX_ANSWER = 8 * 1024 * 1024;
    private static final Optional<Compiled> NOT_YET = Optional.empty();
    /** After this many refusals, an interpreter no longer gets the name of a cache file. */
    private static final int MAX_FILE_REFUSALS = 2;

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

    /**
     * Bytecode for one interpreter version, marshalled, zlib-compressed and base64-encoded (none
     * when it was recalled from the agent cache by a new JVM), and its file in the agent cache, if
     * it is there.
     */
    record Compiled(String cacheTag, long hexVersion, Optional<String> compressedBase64, Optional<AgentCache.Entry> file) {
        /** Whether the bytecode itself is at hand, to be sent on a line. */
        boolean carriesBytecode() {
            return compressedBase64.isPresent();
        }
    }

    private final Duration timeout;
    private final AgentCache cache;
    /** Compiled agents by interpreter; an empty value means "asked, not cacheable (yet)". */
    private final Map<String, Optional<Compiled>> byInterpreter = new ConcurrentHashMap<>();
    /** How often an interpreter did not run the bytecode from its cache file, by interpreter key. */
    private final Map<String, Integer> fileRefusals = new ConcurrentHashMap<>();
    /** The interpreter keys whose note in the agent cache was looked up, once per launcher. */
    private final Set<String> recallTried = ConcurrentHashMap.newKeySet();
    /** The compiling processes by interpreter key. */
    private final Map<String, Connection> compiling = new ConcurrentHashMap<>();

    /**
     * Compiled agents cached in the directory the system property {@value AgentCache#PROPERTY}
     * names (by default {@code ~/.cache/execnet4j}; {@code none}: no files).
     *
     * @param timeout how long a compiling process may take before it is killed
     */
    public CompiledAgents(Duration timeout) {
        this(timeout, AgentCache.fromSystemProperties());
    }

    CompiledAgents(Duration timeout, AgentCache cache) {
        this.timeout = timeout;
        this.cache = cache;
    }

    /**
     * The bytecode for the spec's interpreter, if it was compiled already; for an interpreter this
     * launcher has not started yet, the file a former JVM noted for it in the agent cache.
     */
    Optional<Compiled> get(Spec spec) {
        return key(spec).flatMap(k -> {
            Optional<Compiled> known = byInterpreter.get(k);
            if (known == null && recallTried.add(k)) {
                cache.recall(k).ifPresent(r -> byInterpreter.putIfAbsent(k,
                        Optional.of(new Compiled(r.cacheTag(), r.hexVersion(), Optional.empty(), Optional.of(r.entry())))));
                known = byInterpreter.get(k);
            }
            return known == null ? NOT_YET : known;
        });
    }

    /**
     * Compiles the agent for the spec's interpreter in the background, once per interpreter
     * (type, target and python of the spec); does nothing for a spec that goes {@code via}
     * another gateway.
     *
     * @param spec the spec of a gateway that started
     * @param transport the transport that opens the compiling process like the gateway's
     */
    public void learn(Spec spec, Transport transport) {
        key(spec).ifPresent(key -> {
            if (byInterpreter.putIfAbsent(key, NOT_YET) == null) {
                Thread t = new Thread(() -> {
                    Optional<Compiled> compiled = compile(key, spec, transport);
                    // after abort() the key is gone: a later gateway tries again
                    byInterpreter.replace(key, NOT_YET, compiled);
                }, "execnet4j-agent-compiler");
                t.setDaemon(true);
                t.start();
            }
        });
    }

    /**
     * A gateway's interpreter did not run the bytecode from its cache file (a newer interpreter
     * at the same path, a file that changed, or an interpreter that does not see this machine's
     * files, behind a {@code python=} wrapper): forgets the bytecode, so the next gateway sends
     * the source and compiles anew, which also writes the file anew; after the second refusal the
     * interpreter gets its bytecode on its stdin again.
     */
    void fileRefused(Spec spec) {
        key(spec).ifPresent(k -> {
            cache.forget(k);
            fileRefusals.merge(k, 1, Integer::sum);
            byInterpreter.computeIfPresent(k, (any, compiled) -> compiled.isPresent() ? null : compiled);
        });
    }

    /** Kills the compiling processes running now; their interpreters are compiled for again by a later gateway. */
    public void abort() {
        for (String key : List.copyOf(compiling.keySet())) {
            byInterpreter.remove(key, NOT_YET);
            Connection connection = compiling.remove(key);
            if (connection != null) {
                connection.kill();
            }
        }
    }

    /** One interpreter per transport type, target and python; proxied and installed gateways are not cached. */
    private static Optional<String> key(Spec spec) {
        if (spec.via().isPresent() || spec.has("installvia")) {
            return Optional.empty();
        }
        return Optional.of(spec.type() + "\u0000" + spec.target().orElse("") + "\u0000" + spec.python().orElse(""));
    }

    /** Compiles in a process of the spec's interpreter, killed after the timeout; empty when that fails. */
    Optional<Compiled> compile(String key, Spec spec, Transport transport) {
        Connection connection = null;
        try {
            boolean server = transport.connectsToServer();
            connection = transport.open(spec, server ? List.of() : List.of("-c", COMPILER));
            Connection opened = connection;
            compiling.put(key, opened);
            if (!byInterpreter.containsKey(key)) {
                return Optional.empty(); // aborted while it started
            }
            closeQuietly(opened.errors());
            // on the JDK's delay thread itself: its default executor starts a thread per task on 2 cores
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, Runnable::run).execute(opened::kill);
            if (server) {
                opened.output().write(SocketCompiler.LINE);     // the socket server runs this one line
                opened.output().flush();
            } else {
                try (OutputStream out = opened.output()) {
                    out.write(AgentProgram.agentSource().getBytes(StandardCharsets.UTF_8));
                }
            }
            String answer;
            try (InputStream in = opened.input()) {
                answer = new String(in.readNBytes(MAX_ANSWER), StandardCharsets.US_ASCII).strip();
            }
            String[] parts = answer.split(" ");
            if (parts.length != 3) {
                return Optional.empty();
            }
            byte[] marshalled = Base64.getDecoder().decode(parts[2]);
            long hexVersion = Long.parseLong(parts[1]);
            boolean local = transport.runsOnThisMachine() && fileRefusals.getOrDefault(key, 0) < MAX_FILE_REFUSALS;
            Optional<AgentCache.Entry> file = local ? cache.store(parts[0], hexVersion, marshalled) : Optional.empty();
            if (file.isPresent()) {
                cache.remember(key, parts[0], hexVersion);
            }
            return Optional.of(new Compiled(parts[0], hexVersion, Optional.of(AgentProgram.compressedBase64(marshalled)), file));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot compile the agent for {}: {}", Abbreviation.of(spec), e.toString());
            return Optional.empty();
        } finally {
            if (connection != null) {
                compiling.remove(key, connection);
                connection.kill();
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // nothing to release
        }
    }
}
