package org.execnet4j.core.internal;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Connection;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.GatewayMetrics;
import org.execnet4j.api.ItemTooLargeException;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.PythonSource;
import org.execnet4j.api.RemoteInfo;
import org.execnet4j.api.RemoteOutput;
import org.execnet4j.api.RemoteStatus;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Tracer;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.serializer.ChannelRefs;
import org.execnet4j.serializer.LoadOptions;
import org.execnet4j.serializer.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of one gateway: bootstraps the agent over a {@link Connection}, runs the
 * receiver thread that dispatches frames (protocol.md §1.4), sends frames one at a time, and
 * ends every channel with a {@link GatewayClosedException} that says why when the connection
 * goes.
 */
public final class EngineGateway implements Gateway, ChannelRefs {
    private static final Logger LOG = LoggerFactory.getLogger(EngineGateway.class);
    private static final Duration THREAD_JOIN_SLACK = Duration.ofSeconds(2);
    private static final Duration EXIT_CODE_WAIT = Duration.ofMillis(300);
    /** How long a failed write waits for the receiver to learn why the remote is gone (a write can fail first). */
    private static final Duration END_REASON_WAIT = Duration.ofSeconds(2);
    private static final Duration STDERR_DRAIN = Duration.ofMillis(300);
    /** The share of exit's time left that the remote may spend on cleanup before it kills itself. */
    private static final double CLEANUP_SHARE = 0.8;
    /**
     * A bootstrap line up to this size is written by the starting thread before it starts the
     * others, so the interpreter works on it meanwhile: any stream takes that much without blocking.
     */
    private static final int PROMPT_LINE_BYTES = 4096;

    private final String id;
    private final Spec spec;
    /** {@code gateway <id> (<spec>)}, the spec abbreviated, for messages. */
    private final String label;
    private final Connection connection;
    private final EngineSettings settings;
    private final FrameWriter writer;
    private final Tracer tracer;
    private final FrameReader reader;
    private final ChannelTable table;
    private final FrameDispatcher dispatcher = new FrameDispatcher(this);
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final CompletableFuture<Integer> handshake = new CompletableFuture<>();
    /** Completed once the remote sent its first frame after the handshake. */
    private final CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
    private final CompletableFuture<GatewayClosedException> end = new CompletableFuture<>();
    private final StderrPump stderr;
    private final Thread receiverThread;
    private final Thread stderrThread;
    private final Thread reaperThread;
    private volatile LoadOptions defaultOptions = LoadOptions.CHANNEL_DEFAULTS;
    private volatile GatewayClosedException closedCause;
    private volatile boolean exitRequested;
    private final Object exitLock = new Object();
    /** Whether the remote was alive when it was first asked to exit; null before; guarded by {@link #exitLock}. */
    private Boolean aliveWhenAsked;
    /** The thread that killed the remote at the exit deadline before the farewell could be written to it, or null. */
    private volatile Thread deadlineKiller;
    /** The thread that says farewell when another sender was writing at the time, or null. */
    private volatile Thread farewellThread;
    /** A long line that starts the agent, written by the receiver thread before it reads the handshake; or null. */
    private byte[] bootstrapLine;
    /** The line sent when the remote answers the bootstrap line with {@link AgentProgram#AGENT_WANTED}, or null. */
    private Supplier<byte[]> agentOnRequest;

    EngineGateway(String id, Spec spec, Connection connection, EngineSettings settings) {
        this.id = id;
        this.spec = spec;
        this.label = Abbreviation.gateway(id, spec);
        this.connection = connection;
        this.settings = settings;
        this.writer = new FrameWriter(connection.output());
        this.tracer = settings.tracer();
        this.reader = new FrameReader(connection.input(), settings.maxItemBytes());
        this.table = new ChannelTable(id, settings.maxChannels());
        this.receiverThread = daemon(this::receiveLoop, "receiver");
        this.reaperThread = daemon(new ChannelReaper(table, () -> closedCause == null, this::closeDropped), "reaper");
        if (connection.errors() != null) {
            this.stderr = new StderrPump(id, connection.errors(), connection::isAlive, settings.maxOutputLine(),
                    settings.outputTail(), settings.remoteOutput());
            this.stderrThread = daemon(stderr, "stderr");
        } else {
            this.stderr = null;
            this.stderrThread = null;
        }
    }

    private Thread daemon(Runnable body, String role) {
        Thread t = new Thread(body, "execnet4j-" + id + "-" + role);
        t.setDaemon(true);
        return t;
    }

    /**
     * Sends the bootstrap line (a long one through the receiver thread: an interpreter that does
     * not read it must not block the caller past the bootstrap timeout; none if it is empty, as
     * for a forked process that got it already), waits for the agent's {@code '1'} and applies
     * chdir/nice/env.
     */
    void start(byte[] line) {
        start(line, null);
    }

    /**
     * Like {@link #start(byte[])}, for a remote that may answer the line with
     * {@link AgentProgram#AGENT_WANTED} instead of the handshake: it then gets
     * {@code agentOnRequest}'s line and answers that with the handshake.
     */
    void start(byte[] line, Supplier<byte[]> agentOnRequest) {
        this.agentOnRequest = agentOnRequest;
        if (line.length > PROMPT_LINE_BYTES) {
            bootstrapLine = line;
        } else if (line.length > 0) {
            sendBootstrap(line);
        }
        if (stderrThread != null) {
            stderrThread.start();
        }
        receiverThread.start();
        reaperThread.start();   // now, while the interpreter starts, not after its handshake
        try {
            int answer = handshake.get(settings.bootstrapTimeout().toNanos(), TimeUnit.NANOSECONDS);
            if (answer != '1') {
                throw startFailure(answer < 0
                        ? "the interpreter ended before the handshake"
                        : String.format("the handshake byte was 0x%02x instead of '1' (did something print to stdout first?)", answer),
                        null);
            }
        } catch (TimeoutException e) {
            throw startFailure("no handshake within " + settings.bootstrapTimeout(), null);
        } catch (ExecutionException e) {
            throw startFailure(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw startFailure("interrupted while starting", e);
        }
        if (spec.needsRemoteSetup()) {
            applyRemoteSetup();
        }
    }

    private void applyRemoteSetup() {
        Map<String, Object> env = new LinkedHashMap<>(spec.env());
        Channel setup = exec(PythonSource.code(RemoteScripts.SETUP), Map.of());
        setup.send(PyTuple.of(spec.chdir().orElse(null), spec.nice().orElse(0), env));
        try {
            setup.waitClose(settings.bootstrapTimeout());
        } catch (ExecnetException e) {
            throw startFailure("chdir/nice/env set-up failed: " + e.getMessage(), e);
        }
    }

    private GatewayClosedException startFailure(String reason, Throwable cause) {
        if (stderrThread != null) {
            // let the remote's last words arrive: they usually say why it did not start
            joinUntil(stderrThread, System.nanoTime() + STDERR_DRAIN.toNanos());
        }
        connection.kill();
        reaperThread.interrupt();   // a receiver that read a wrong handshake byte ends without stopping it
        joinThreads(System.nanoTime() + THREAD_JOIN_SLACK.toNanos());
        OptionalInt code = connection.waitFor(EXIT_CODE_WAIT);
        StringBuilder msg = new StringBuilder(label).append(" failed to start: ")
                .append(reason).append("; ").append(connection.describe());
        code.ifPresent(c -> msg.append(", exit code ").append(c));
        String tail = stderr == null ? "" : stderr.tail();
        if (!tail.isEmpty()) {
            msg.append("; its last output:\n").append(tail);
        }
        return new GatewayClosedException(msg.toString(), cause);
    }

    // ---------------------------------------------------------------- receiving

    private void receiveLoop() {
        String reason;
        Throwable cause = null;
        try {
            if (bootstrapLine != null && !sendBootstrap(bootstrapLine)) {
                throw new EOFException("the bootstrap line could not be sent");
            }
            int answer;
            try {
                answer = reader.readHandshakeByte();
                if (answer == AgentProgram.AGENT_WANTED && agentOnRequest != null) {
                    writer.writeRaw(agentOnRequest.get());
                    answer = reader.readHandshakeByte();
                }
            } catch (IOException e) {
                handshake.completeExceptionally(e);   // the transport's reason, e.g. a server that wants a token
                throw e;
            }
            handshake.complete(answer);
            if (answer != '1') {
                return;
            }
            reason = runFrames();
        } catch (ProtocolException e) {
            reason = "protocol error: " + e.getMessage();
            cause = e;
            connection.kill();
        } catch (EOFException e) {
            reason = e.getMessage();
            cause = e;
        } catch (IOException e) {
            reason = "the connection failed: " + e.getMessage();
            cause = e;
        } catch (RuntimeException | Error e) {
            reason = "internal error in the receiver: " + e;
            cause = e;
            LOG.error("gateway {}: receiver failed", id, e);
            connection.kill();
        } finally {
            handshake.complete(-1);
        }
        ended(reason, cause);
    }

    /** Writes a bootstrap line; false, with the handshake failed, if that fails. */
    private boolean sendBootstrap(byte[] line) {
        try {
            writer.writeRaw(line);
            return true;
        } catch (IOException e) {
            handshake.completeExceptionally(new IOException("cannot send the bootstrap line: " + e.getMessage(), e));
            return false;
        }
    }

    /** Dispatches frames until the stream ends; returns why it ended. */
    private String runFrames() throws IOException {
        Frame frame;
        while ((frame = reader.read()) != null) {
            if (tracer.enabled()) {
                tracer.trace(id, "[receiver-thread] received " + frame);
            }
            receiveLock.lock();
            try {
                if (!dispatcher.dispatch(frame)) {
                    return "the remote sent GATEWAY_TERMINATE";
                }
            } finally {
                receiveLock.unlock();
            }
            if (!firstAnswer.isDone()) {
                firstAnswer.complete(null);
            }
        }
        return exitRequested ? "it exited on request" : "the remote closed the connection";
    }

    /** The connection is gone: every channel ends with the reason, no new channel can start. */
    private void ended(String reason, Throwable cause) {
        OptionalInt code = connection.waitFor(EXIT_CODE_WAIT);
        StringBuilder msg = new StringBuilder(label).append(" is closed: ")
                .append(reason);
        code.ifPresent(c -> msg.append(" (exit code ").append(c).append(')'));
        GatewayClosedException dead = new GatewayClosedException(msg.toString(), cause);
        closedCause = dead;
        reaperThread.interrupt();
        if (stderr != null) {
            stderr.wake();  // it stops once it read what the remote wrote
        }
        if (tracer.enabled()) {
            tracer.trace(id, "[receiver-thread] " + msg);
        }
        for (EngineChannel channel : table.finish(dead)) {
            channel.end(null, true, dead);
        }
        LOG.debug("{}", msg);
        end.complete(dead);
    }

    // ---------------------------------------------------------------- sending

    ReentrantLock receiveLock() {
        return receiveLock;
    }

    /** The bound on payload bytes one channel may hold unreceived. */
    long maxQueuedBytes() {
        return settings.maxQueuedBytes();
    }

    /** The flow-control window per channel and direction; 0 when flow control is off. */
    int flowWindow() {
        return settings.flowWindow();
    }

    /** The largest item either side sends or accepts. */
    int maxItemBytes() {
        return settings.maxItemBytes();
    }

    /** The live channel with this id, if any. */
    EngineChannel channel(int channelId) {
        return table.get(channelId);
    }

    /** How strings decode on channels created from now on (the peer's gateway-wide RECONFIGURE). */
    void setDefaultOptions(LoadOptions options) {
        defaultOptions = options;
    }

    Object decode(byte[] payload, LoadOptions options) {
        return WireFormat.decode(payload, 0, payload.length, options, this);
    }

    /** Decodes an item together with the decoder's estimate of the heap it holds. */
    WireFormat.Decoded decodeMeasured(byte[] payload, LoadOptions options) {
        return WireFormat.decodeMeasured(payload, 0, payload.length, options, this);
    }

    /** Encodes on the caller's thread (so dump errors surface there), then writes one frame. */
    void sendValue(MessageType type, int channelId, Object value) {
        write(type, channelId, encode(type, channelId, value, this));
    }

    /**
     * Sends one item: encodes it on the caller's thread, waits for flow credit (only this
     * thread waits), then writes it.
     */
    void sendItem(int channelId, Object item, SendWindow window, Duration timeout, Object channel) {
        byte[] frame = encode(MessageType.CHANNEL_DATA, channelId, item, this);
        window.acquire(frame.length - FrameWriter.HEADER, timeout, channel);
        write(MessageType.CHANNEL_DATA, channelId, frame);
    }

    /** Flow control: tells the peer this side consumed {@code bytes} of a channel. */
    void sendCredit(int channelId, long bytes) {
        sendQuietly(MessageType.CHANNEL_CREDIT, channelId, bytes <= Integer.MAX_VALUE ? (Object) (int) bytes : (Object) bytes);
    }

    /**
     * Encodes a frame's value after room for the header, refusing an item above the limit.
     *
     * @throws ItemTooLargeException when the encoded form exceeds {@code maxItemBytes}
     */
    private byte[] encode(MessageType type, int channelId, Object value, ChannelRefs refs) {
        byte[] frame = WireFormat.encode(value, refs, FrameWriter.HEADER);
        long size = frame.length - FrameWriter.HEADER;
        if (size > settings.maxItemBytes()) {
            throw new ItemTooLargeException("gateway " + id + ": cannot send a " + type + " item of " + size
                    + " bytes on channel " + channelId + ": the limit is " + settings.maxItemBytes()
                    + " bytes (maxItemBytes)", size, settings.maxItemBytes());
        }
        return frame;
    }

    private void write(MessageType type, int channelId, byte[] frame) {
        GatewayClosedException dead = closedCause;
        if (dead != null) {
            throw new GatewayClosedException(dead.getMessage(), dead.getCause());
        }
        try {
            writer.write(type, channelId, frame);
            if (tracer.enabled()) {
                tracer.trace(id, "sent <Message " + type + " channel=" + channelId + " lendata="
                        + (frame.length - FrameWriter.HEADER) + ">");
            }
        } catch (IOException e) {
            GatewayClosedException reason = endReason();
            throw new GatewayClosedException(reason != null ? reason.getMessage()
                    : label + ": cannot send: " + e.getMessage(), e);
        }
    }

    /**
     * Why the gateway ended, waiting a little for the receiver thread to find out (with the exit
     * code), or null if it has not ended by then; the receiver thread itself does not wait.
     */
    private GatewayClosedException endReason() {
        if (Thread.currentThread() == receiverThread) {
            return closedCause;
        }
        try {
            return end.get(END_REASON_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return closedCause;
        }
    }

    /** Sends a value where failure only means the peer is gone already (closing). */
    void sendQuietly(MessageType type, int channelId, Object value) {
        try {
            sendValue(type, channelId, value);
        } catch (ExecnetException e) {
            LOG.debug("gateway {}: could not send {} on channel {}: {}", id, type, channelId, e.getMessage());
        }
    }

    void sendEmptyQuietly(MessageType type, int channelId) {
        if (closedCause != null) {
            return;
        }
        try {
            writer.writeEmpty(type, channelId);
        } catch (IOException e) {
            LOG.debug("gateway {}: could not send {} on channel {}: {}", id, type, channelId, e.getMessage());
        }
    }

    void forget(EngineChannel channel) {
        table.remove(channel);
    }

    /** Holds the channel strongly while a callback uses it, weakly otherwise. */
    void pin(EngineChannel channel, boolean pinned) {
        table.pin(channel, pinned);
    }

    /** Tells the peer that a channel the application dropped is closed (the reaper thread). */
    private void closeDropped(int channelId) {
        if (tracer.enabled()) {
            tracer.trace(id, "[reaper-thread] channel " + channelId + " was dropped unclosed: closing it");
        }
        sendEmptyQuietly(MessageType.CHANNEL_CLOSE, channelId);
    }

    // ---------------------------------------------------------------- ChannelRefs

    @Override
    public int idOf(Object value) {
        return value instanceof EngineChannel c && c.gateway() == this ? c.id() : NOT_A_CHANNEL;
    }

    @Override
    public Object resolve(int channelId) {
        EngineChannel channel = table.resolve(channelId, i -> new EngineChannel(this, i, defaultOptions));
        GatewayClosedException dead = closedCause;
        if (dead != null) {
            channel.end(null, true, dead);
        }
        return channel;
    }

    // ---------------------------------------------------------------- Gateway

    @Override
    public String id() {
        return id;
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public Channel newChannel() {
        return table.create(i -> new EngineChannel(this, i, defaultOptions));
    }

    @Override
    public Channel remoteExec(String source) {
        return remoteExec(PythonSource.code(source), Map.of());
    }

    @Override
    public Channel remoteExec(PythonSource source, Map<String, ?> kwargs) {
        if (!kwargs.isEmpty() && source.callName().isEmpty()) {
            throw new IllegalArgumentException("keyword arguments need a function to call: use PythonSource.function(source, name)");
        }
        settings.execAudit().remoteExec(this, source);
        return exec(source, kwargs);
    }

    /** Runs code on the remote, not audited (the engine's own calls and the checked public one). */
    private Channel exec(PythonSource source, Map<String, ?> kwargs) {
        EngineChannel channel = (EngineChannel) newChannel();
        PyTuple payload = PyTuple.of(source.text(), source.filename().orElse(null), source.callName().orElse(null),
                new LinkedHashMap<>(kwargs));
        byte[] frame;
        try {
            frame = encode(MessageType.CHANNEL_EXEC, channel.id(), payload, null);
        } catch (ExecnetException e) {
            channel.forgetLocally();
            throw e;
        }
        write(MessageType.CHANNEL_EXEC, channel.id(), frame);
        return channel;
    }

    @Override
    public RemoteStatus remoteStatus() {
        return remoteStatus(settings.bootstrapTimeout());
    }

    @Override
    public RemoteStatus remoteStatus(Duration timeout) {
        EngineChannel channel = (EngineChannel) newChannel();
        try {
            write(MessageType.STATUS, channel.id(), new byte[FrameWriter.HEADER]);
            Object answer = channel.receive(timeout);
            if (answer instanceof Map<?, ?> m && m.get("numchannels") instanceof Integer channels
                    && m.get("numexecuting") instanceof Integer executing) {
                return new RemoteStatus(channels, executing, String.valueOf(m.get("execmodel")));
            }
            throw new ExecnetException("gateway " + id + ": unexpected status answer " + answer);
        } finally {
            channel.forgetLocally();
        }
    }

    @Override
    public RemoteInfo remoteInfo() {
        return remoteInfo(settings.bootstrapTimeout());
    }

    @Override
    public RemoteInfo remoteInfo(Duration timeout) {
        Channel channel = exec(PythonSource.code(RemoteScripts.RINFO), Map.of());
        Object answer = channel.receive(timeout);
        channel.waitClose(timeout);
        if (answer instanceof Map<?, ?> m && m.get("version_info") instanceof PyTuple version
                && m.get("pid") instanceof Number pid) {
            return new RemoteInfo(String.valueOf(m.get("executable")), String.valueOf(m.get("cwd")), version,
                    String.valueOf(m.get("platform")), pid.longValue());
        }
        throw new ExecnetException("gateway " + id + ": unexpected remote info " + answer);
    }

    @Override
    public void reconfigure(boolean py2strAsPy3str, boolean py3strAsPy2str) {
        defaultOptions = LoadOptions.CHANNEL_DEFAULTS.withStringCoercion(py2strAsPy3str, py3strAsPy2str);
        sendValue(MessageType.RECONFIGURE, 0, PyTuple.of(py2strAsPy3str, py3strAsPy2str));
    }

    @Override
    public void setRemoteOutput(RemoteOutput output) {
        if (stderr != null) {
            stderr.setOutput(output);
        }
    }

    @Override
    public GatewayMetrics metrics() {
        return new GatewayMetrics(writer.bytesWritten(), reader.bytesRead(), writer.framesWritten(),
                reader.framesRead(), table.size(), table.channelsAdded());
    }

    @Override
    public boolean isAlive() {
        return closedCause == null && receiverThread.isAlive();
    }

    /**
     * Completes, on the receiver thread, once the remote sent its first frame after the handshake (its answer to the
     * first request, delivered by then); never when the gateway ends before that.
     */
    CompletionStage<Void> whenFirstAnswered() {
        return firstAnswer.minimalCompletionStage();
    }

    @Override
    public CompletionStage<GatewayClosedException> whenEnded() {
        return end.minimalCompletionStage();
    }

    @Override
    public ExitOutcome exit() {
        return exit(settings.exitTimeout());
    }

    @Override
    public void requestExit(Duration timeout) {
        askToExit(System.nanoTime() + timeout.toNanos());
    }

    @Override
    public ExitOutcome exit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean wasAlive = askToExit(deadline);
        joinUntil(receiverThread, deadline);
        boolean exited = deadlineKiller == null && (connection.waitFor(remaining(deadline)).isPresent() || !connection.isAlive());
        connection.kill();
        joinThreads(System.nanoTime() + THREAD_JOIN_SLACK.toNanos());
        if (!wasAlive) {
            return ExitOutcome.ALREADY_DEAD;
        }
        return exited ? ExitOutcome.EXITED : ExitOutcome.KILLED;
    }

    /** Says farewell once (the first caller, for its deadline); whether the remote was alive when asked. */
    private boolean askToExit(long deadline) {
        synchronized (exitLock) {
            if (aliveWhenAsked == null) {
                aliveWhenAsked = connection.isAlive();
                exitRequested = true;
                if (tracer.enabled()) {
                    tracer.trace(id, "--> sending GATEWAY_TERMINATE, waiting up to " + remaining(deadline));
                }
                if (aliveWhenAsked) {
                    connection.exitRequested();
                    if (writer.busy()) {
                        // a sender may be stuck on a remote that does not read: do not wait for it here
                        Thread farewell = daemon(() -> sayFarewell(deadline), "exit");
                        farewellThread = farewell;
                        farewell.start();
                    } else {
                        sayFarewell(deadline);
                    }
                }
            }
            return aliveWhenAsked;
        }
    }

    /**
     * Sends GATEWAY_TERMINATE with the seconds the remote may spend on cleanup, then closes the way
     * to it. A remote that does not read blocks writes (ours, and those of senders holding the
     * writer): the connection is killed at the deadline if the farewell has not gone by then,
     * which unblocks them all.
     */
    private void sayFarewell(long deadline) {
        AtomicBoolean said = new AtomicBoolean();
        // the timeout fires on the JDK's delay thread itself (its default executor starts a thread per
        // task on 2 cores); only a kill, which may take a while, gets a thread of its own. Completing
        // the future once the farewell went takes the timer off that thread's queue at once, so an
        // exited gateway is not held until its deadline.
        CompletableFuture<Void> farewell = new CompletableFuture<>();
        farewell.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                .whenComplete((ignored, timeout) -> {
                    if (timeout != null && said.compareAndSet(false, true)) {
                        Thread killer = daemon(connection::kill, "exit");
                        deadlineKiller = killer;
                        killer.start();
                    }
                });
        double cleanupSeconds = remaining(deadline).toNanos() * CLEANUP_SHARE / 1e9;
        sendQuietly(MessageType.GATEWAY_TERMINATE, 0, cleanupSeconds);
        if (said.compareAndSet(false, true)) {
            farewell.complete(null);
            connection.closeOutput();
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Joins the gateway's threads, once the remote is gone (a stderr pump that waits for output is woken to see that). */
    private void joinThreads(long deadline) {
        joinUntil(receiverThread, deadline);
        if (stderrThread != null) {
            stderr.wake();
            joinUntil(stderrThread, deadline);
        }
        joinUntil(reaperThread, deadline);
        for (Thread exiting : new Thread[] {farewellThread, deadlineKiller}) {
            if (exiting != null) {
                joinUntil(exiting, deadline);
            }
        }
    }

    private static void joinUntil(Thread thread, long deadline) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (millis > 0) {
                thread.join(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "<Gateway id='" + id + "' " + (isAlive() ? "receive-live" : "not-receiving") + ", "
                + spec.execmodel().orElse("thread") + " model, " + table.size() + " active channels>";
    }
}
