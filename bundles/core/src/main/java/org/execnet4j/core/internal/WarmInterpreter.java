package org.execnet4j.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm interpreter: execnet4j's socket server ({@link ServerProgram}) run by the popen
 * transport like a gateway's interpreter, with the agent loaded, listening on a Unix domain
 * socket in a private (0700) directory, and forking a process per gateway. It talks to this
 * host over its stdin ({@code kill <pid>}; end of file stops it, also when this JVM dies) and
 * stdout ({@code ready <sha256>}, {@code exit <pid> <status>}).
 */
final class WarmInterpreter {
    private static final Logger LOG = LoggerFactory.getLogger(WarmInterpreter.class);
    private static final int MAX_PID_LINE = 24;
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final Connection process;
    private final Path dir;
    private final Path socket;
    private final String label;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    private final Object connecting = new Object();
    private volatile boolean ended;

    private WarmInterpreter(Connection process, Path dir) {
        this.process = process;
        this.dir = dir;
        this.socket = dir.resolve("s");
        this.label = "warm interpreter " + process.describe();
    }

    /**
     * Starts a warm interpreter for the spec's Python and waits until it listens with this agent.
     *
     * @param opened told of its process as soon as it is open, so that its owner can kill it while it starts
     * @throws IOException when it cannot be started, does not answer within the timeout or loaded another agent
     */
    static WarmInterpreter start(Spec spec, Transport transport, Duration timeout, Consumer<Connection> opened)
            throws IOException {
        Path dir = Files.createTempDirectory("execnet4j-warm-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Connection process;
        try {
            process = transport.open(spec, AgentProgram.pythonArgs(false));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
        opened.accept(process);
        WarmInterpreter warm = new WarmInterpreter(process, dir);
        try {
            warm.boot(timeout);
            return warm;
        } catch (IOException | RuntimeException e) {
            warm.close();
            process.kill();
            throw e;
        }
    }

    private void boot(Duration timeout) throws IOException {
        daemon(this::readReports, "reports");
        daemon(this::drainLog, "log");
        String program = "import sys\nsys.argv[1:] = ['--unix', " + PythonLiteral.str(socket.toString())
                + ", '--host-pipe', '--agent', '-']\n" + ServerProgram.text();
        OutputStream out = process.output();
        out.write((PythonLiteral.str(program) + "\n" + PythonLiteral.str(AgentProgram.agentSource()) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String hash;
        try {
            hash = ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException(label + " did not get ready within " + timeout);
        } catch (ExecutionException e) {
            throw new IOException(label + " ended before it was ready", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the " + label, e);
        }
        if (!hash.equals(AgentProgram.agentSha256())) {
            throw new IOException(label + " loaded another agent (" + hash + ")");
        }
    }

    private void daemon(Runnable body, String role) {
        Thread t = new Thread(body, "execnet4j-warm-" + role);
        t.setDaemon(true);
        t.start();
    }

    /** The server's lines on stdout: ready, then one per gateway process that ended. */
    private void readReports() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.input(), StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.split(" ");
                if (words.length == 2 && words[0].equals("ready")) {
                    ready.complete(words[1]);
                } else if (words.length == 3 && words[0].equals("exit")) {
                    exitOf(Long.parseLong(words[1])).complete(Integer.parseInt(words[2]));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: reading its reports failed: {}", label, e.toString());
        } finally {
            ended = true;
            ready.completeExceptionally(new IOException(label + " ended"));
        }
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
     * forked process takes both) and reads its pid.
     *
     * @throws IOException when the server does not fork within the timeout or is gone
     */
    WarmChild fork(String description, Duration timeout) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        SocketChannel protocol;
        SocketChannel errors;
        synchronized (connecting) {
            protocol = SocketChannel.open(address);
            try {
                errors = SocketChannel.open(address);
            } catch (IOException e) {
                protocol.close();
                throw e;
            }
        }
        AtomicBoolean answered = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (answered.compareAndSet(false, true)) {
                closeAll(List.of(protocol, errors));
            }
        });
        try {
            long pid = readPid(ChannelStreams.input(protocol));
            if (!answered.compareAndSet(false, true)) {
                throw new IOException(label + " did not fork within " + timeout);
            }
            return new WarmChild(this, protocol, errors, pid, description);
        } catch (IOException | RuntimeException e) {
            answered.set(true);
            closeAll(List.of(protocol, errors));
            throw e instanceof IOException io ? io : new IOException(label + ": " + e.getMessage(), e);
        }
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
        OutputStream out = process.output();
        try {
            synchronized (out) {
                out.write(("kill " + pid + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("{}: cannot ask it to kill {}: {}", label, pid, e.toString());
        }
    }

    /**
     * Stops it: closes its stdin (it stops listening, ends its spare process and exits; the
     * gateway processes it forked run on until their own end) and kills it when it has not
     * exited within two seconds.
     */
    void close() {
        process.closeOutput();
        OptionalLong pid = process.pid();
        (pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.<ProcessHandle>empty()).ifPresent(server -> {
            try {
                server.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                server.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("{}: cannot delete {}: {}", label, dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return label;
    }

    static void closeAll(List<? extends java.io.Closeable> closeables) {
        for (java.io.Closeable c : closeables) {
            try {
                c.close();
            } catch (IOException e) {
                // closing is all we can do
            }
        }
    }
}
