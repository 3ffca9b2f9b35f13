package org.execnet4j.core.internal;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.ByteStream;
import org.execnet4j.api.spi.UnixSocketReach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm interpreter: execnet4j's socket server ({@link ServerProgram}) run by a transport
 * like a gateway's interpreter (popen: a child of this JVM; ssh: a remote command on the shared
 * connection), with the agent loaded, listening on a Unix domain socket in a private (0700)
 * directory it made on its machine, and forking a process per gateway, which the transport
 * reaches there ({@link UnixSocketReach}). It talks to this host over its stdin
 * ({@code kill <pid>}; end of file stops it, also when this JVM or the ssh connection dies) and
 * stdout ({@code ready <sha256> <socket>}, {@code exit <pid> <status>}). It boots with
 * {@link BootLines}: the server and the agent as bytecode from a cache file on its machine, or,
 * after it answered {@code ?}, compiled from the source this host then sends.
 */
final class WarmInterpreter {
    private static final Logger LOG = LoggerFactory.getLogger(WarmInterpreter.class);
    private static final int MAX_PID_LINE = 24;
    private static final int MAX_REPORT_LINE = 4096;
    /** How much of an unexpected answer an error shows. */
    private static final int SHOWN = 40;
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final Connection process;
    private final UnixSocketReach reach;
    private final boolean local;
    private final String label;
    private final CompletableFuture<String[]> ready = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    private final Object connecting = new Object();
    private volatile String socket;
    private volatile boolean ended;
    private volatile boolean unreachable;
    private volatile boolean reached;
    /** False once its boot program asked for the source (it found no compiled code in its cache). */
    private volatile boolean compiled = true;

    private WarmInterpreter(Connection process, UnixSocketReach reach) {
        this.process = process;
        this.reach = reach;
        this.local = process.pid().isPresent();
        this.label = "warm interpreter " + process.describe();
    }

    /**
     * The cache directory of compiled boot code on the interpreter's machine ({@link BootLines}):
     * none when this JVM's agent cache is off, else this JVM's on this machine, the remote user's
     * default elsewhere.
     */
    private static Optional<String> cacheDirectory(Transport transport) {
        String configured = System.getProperty(AgentCache.PROPERTY, "");
        if (AgentCache.OFF.equals(configured)) {
            return Optional.empty();
        }
        return Optional.of(transport.runsOnThisMachine()
                ? AgentCache.fromSystemProperties().directory().map(Path::toString).orElse("") : "");
    }

    /**
     * Starts a warm interpreter for the spec's Python and waits until it listens with this agent.
     *
     * @param transport starts it
     * @param reach reaches its socket (the same transport)
     * @param opened told of its process as soon as it is open, so that its owner can kill it while it starts
     * @throws IOException when it cannot be started, does not answer within the timeout or loaded another agent
     */
    static WarmInterpreter start(Spec spec, Transport transport, UnixSocketReach reach, Duration timeout,
            Consumer<Connection> opened) throws IOException {
        Connection process = transport.open(spec, AgentProgram.pythonArgs(false));
        opened.accept(process);
        WarmInterpreter warm = new WarmInterpreter(process, reach);
        try {
            warm.boot(BootLines.first(cacheDirectory(transport), !spec.dontWriteBytecode()), timeout);
            LOG.debug("{} is ready, booted {}", warm.label, warm.bootedFromCache() ? "from its cache" : "from source");
            return warm;
        } catch (IOException | RuntimeException e) {
            warm.close();
            process.kill();
            throw e;
        }
    }

    private void boot(byte[] firstLine, Duration timeout) throws IOException {
        daemon(this::readReports, "reports");
        daemon(this::drainLog, "log");
        send(firstLine);
        String[] words;
        try {
            words = ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException(label + " did not get ready within " + timeout);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the " + label, e);
        }
        if (!words[1].equals(AgentProgram.agentSha256())) {
            throw new IOException(label + " loaded another agent (" + words[1] + ")");
        }
        socket = words[2];
    }

    private void daemon(Runnable body, String role) {
        Thread t = new Thread(body, "execnet4j-warm-" + role);
        t.setDaemon(true);
        t.start();
    }

    /** Writes to its stdin, one writer at a time. */
    private void send(byte[] bytes) throws IOException {
        OutputStream out = process.output();
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * Its lines on stdout: {@code ?} when its boot program found no compiled code (it gets the
     * source), ready (its socket's path may hold spaces), then one per gateway process that ended.
     */
    private void readReports() {
        try (InputStream in = new BufferedInputStream(process.input())) {
            for (String line = reportLine(in); line != null; line = reportLine(in)) {
                String[] words = line.split(" ", line.startsWith("ready ") ? 3 : 0);
                if (line.equals("?") && !ready.isDone()) {
                    compiled = false;
                    send(BootLines.source());
                } else if (words.length == 3 && words[0].equals("ready")) {
                    ready.complete(words);
                } else if (words.length == 3 && words[0].equals("exit")) {
                    exitOf(Long.parseLong(words[1])).complete(Integer.parseInt(words[2]));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: reading its reports failed: {}", label, e.toString());
            ready.completeExceptionally(e);
        } finally {
            ended = true;
            ready.completeExceptionally(new IOException(label + " ended before it was ready"));
        }
    }

    /**
     * The next line it reports, or null at the end of its stdout. Until it is ready, a line that
     * can no longer become {@code ?} or {@code ready ...} fails at once: an interpreter that answers
     * something else (not Python, or one that prints at start-up) does not keep its gateways
     * waiting for the timeout.
     */
    private String reportLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.length() == 0 ? null : line.toString();
            }
            line.append((char) b);
            if (line.length() > MAX_REPORT_LINE || !ready.isDone() && !mayBecomeReady(line)) {
                for (int more = Math.min(in.available(), SHOWN - line.length()); more > 0; more--) {
                    line.append((char) in.read());   // what else came with it, to name the answer
                }
                throw new IOException(label + " answered " + PythonLiteral.str(line.substring(0, Math.min(line.length(), SHOWN)))
                        + " instead of its ready line");
            }
        }
        return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static boolean mayBecomeReady(CharSequence line) {
        String start = line.toString();
        return "?".startsWith(start) || "ready ".startsWith(start) || start.startsWith("ready ");
    }

    /** The server's own log (one line per connection), for debugging only. */
    private void drainLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.errors(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                LOG.debug("{}: {}", label, line);
            }
        } catch (IOException e) {
            // the interpreter ended
        }
    }

    /** Whether it runs and reports. */
    boolean isAlive() {
        return !ended && process.isAlive();
    }

    /** Whether the transport refused to carry the first stream to its socket (so it cannot fork). */
    boolean isUnreachable() {
        return unreachable;
    }

    /** Whether its boot program loaded the server and the agent as code from its cache, not from source. */
    boolean bootedFromCache() {
        return compiled;
    }

    /** Whether it runs on this machine, so that its gateway processes' pids are local ones. */
    boolean isLocal() {
        return local;
    }

    /** The exit status of one of its gateway processes, once the server reaped it. */
    CompletableFuture<Integer> exitOf(long pid) {
        return exits.computeIfAbsent(pid, p -> new CompletableFuture<>());
    }

    /** Forgets a gateway process's exit status. */
    void forget(long pid) {
        exits.remove(pid);
    }

    /**
     * Forks a gateway process: connects its protocol stream and its stderr (in a row, so the same
     * forked process takes both), writes the line that starts its agent and reads its pid (it
     * writes its pid first, and then finds the line waiting: no roundtrip in between).
     *
     * @param bootstrapLine the line that starts its agent ({@link AgentProgram#warmBootstrapLine})
     * @throws IOException when the server does not fork within the timeout, is gone or cannot be
     *     reached (then {@link #isUnreachable()} turns true)
     */
    WarmChild fork(String description, Duration timeout, byte[] bootstrapLine) throws IOException {
        ByteStream protocol;
        ByteStream errors;
        synchronized (connecting) {
            protocol = connect(false, timeout);
            try {
                errors = connect(true, timeout);
            } catch (IOException e) {
                protocol.close();
                throw e;
            }
        }
        AtomicBoolean answered = new AtomicBoolean();
        // timed out on the JDK's delay thread itself (its default executor starts a thread per task
        // on 2 cores); completing the future once answered takes the timer off that thread's queue,
        // as EngineGateway's farewell does, so a forked gateway is not held until the timeout
        CompletableFuture<Void> forked = new CompletableFuture<>();
        forked.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ignored, timedOut) -> {
            if (timedOut != null && answered.compareAndSet(false, true)) {
                closeAll(protocol, errors);
            }
        });
        try {
            protocol.output().write(bootstrapLine);
            protocol.output().flush();
            long pid = readPid(protocol.input());
            if (!answered.compareAndSet(false, true)) {
                throw new IOException(label + " did not fork within " + timeout);
            }
            return new WarmChild(this, protocol, errors, pid, description);
        } catch (IOException | RuntimeException e) {
            answered.set(true);
            closeAll(protocol, errors);
            throw e instanceof IOException io ? io : new IOException(label + ": " + e.getMessage(), e);
        } finally {
            forked.complete(null);
        }
    }

    /**
     * A stream to its socket. A refusal before any stream got through is taken as for good (an
     * ssh server that does not forward Unix domain sockets); a later one as passing (a full
     * listen queue).
     */
    private ByteStream connect(boolean polled, Duration timeout) throws IOException {
        Optional<ByteStream> stream = reach.openUnixSocket(process, socket, polled, timeout);
        if (stream.isEmpty()) {
            unreachable = !reached;
            throw new IOException(label + ": the transport could not open a stream to " + socket);
        }
        reached = true;
        return stream.get();
    }

    private long readPid(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.length() > MAX_PID_LINE) {
                throw new IOException(label + " did not fork (no pid from the forked process)");
            }
            line.append((char) b);
        }
        return Long.parseLong(line.toString().strip());
    }

    /** Kills a gateway process it forked, and that process's group; nothing once it was reaped. */
    void kill(long pid) {
        try {
            send(("kill " + pid + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.debug("{}: cannot ask it to kill {}: {}", label, pid, e.toString());
        }
    }

    /** Closes its stdin, which stops it; {@link #close()} then waits for it. */
    void stop() {
        process.closeOutput();
    }

    /**
     * Stops it: closes its stdin (it stops listening, ends its spare process, removes its
     * directory and exits; the gateway processes it forked run on until their own end) and kills
     * it when it has not exited within two seconds.
     */
    void close() {
        stop();
        if (!local) {
            // no local process to wait for: its connection ends with it (a remote's kill reaches only the
            // server, the gateways it forked lead sessions of their own)
            if (process.waitFor(STOP_WAIT).isEmpty() && process.isAlive()) {
                process.kill();
            }
            return;
        }
        OptionalLong pid = process.pid();
        ProcessHandle.of(pid.getAsLong()).ifPresent(server -> {
            try {
                server.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                server.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
        });
        if (socket != null) {
            // it removes them itself unless it had to be killed
            Path path = Path.of(socket);
            try {
                Files.deleteIfExists(path);
                Files.deleteIfExists(path.getParent());
            } catch (IOException e) {
                LOG.debug("{}: cannot delete {}: {}", label, path.getParent(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return label;
    }

    static void closeAll(ByteStream... streams) {
        for (ByteStream stream : streams) {
            stream.close();
        }
    }
}
