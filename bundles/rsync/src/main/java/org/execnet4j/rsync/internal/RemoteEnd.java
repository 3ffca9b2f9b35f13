package org.execnet4j.rsync.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelClosedException;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.PythonSource;

/**
 * A directory tree behind a gateway, served by {@code rsync_agent.py} on one channel. Changes are
 * pipelined: requests go out without waiting, answers come back in order on the gateway's
 * receiver thread and are counted in the {@link Outcome}. File content travels in chunks within
 * a credit window of {@link #WINDOW} bytes each way, so a slow remote slows only its own target
 * and no side ever holds a whole file.
 */
final class RemoteEnd implements Side, AutoCloseable {
    /** The most content bytes in flight to or from one remote. */
    static final int WINDOW = 8 << 20;
    private static final PythonSource AGENT = PythonSource.resource(RemoteEnd.class, "rsync_agent.py");
    private static final Object END = new Object();
    /** Files up to this size travel inline, many to a request. */
    private static final int INLINE_MAX = (int) Signatures.DELTA_MIN;
    /** A request of inline files is sent once it holds this many bytes ... */
    private static final int BATCH_BYTES = 1 << 20;
    /** ... or this many files. */
    private static final int BATCH_FILES = 512;

    private final Gateway gateway;
    private final Channel channel;
    private final Duration timeout;
    private final Outcome outcome;
    private final String root;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<List<?>>> pending = new ConcurrentHashMap<>();
    private final Semaphore credit = new Semaphore(WINDOW);
    private final BlockingQueue<Object> stream = new LinkedBlockingQueue<>();
    private volatile int streamId = -1;
    private volatile RuntimeException dead;
    private final List<PyTuple> batch = new ArrayList<>();
    private final List<Entry> batchEntries = new ArrayList<>();
    private int batchBytes;

    /**
     * Starts the agent on {@code gateway} for the directory {@code dir} (relative to the remote's
     * working directory unless absolute).
     *
     * @param timeout the longest wait for any one answer or credit
     * @throws IOException when the agent does not answer
     */
    RemoteEnd(Gateway gateway, String dir, Duration timeout, Outcome outcome) throws IOException {
        this.gateway = gateway;
        this.timeout = timeout;
        this.outcome = outcome;
        this.channel = gateway.remoteExec(AGENT, Map.of());
        CompletableFuture<List<?>> hello = new CompletableFuture<>();
        pending.put(0, hello);
        channel.setCallback(this::dispatch, END);
        channel.send(PyTuple.of("root", dir, WINDOW));
        this.root = (String) value(await(hello, "start"), dir);
    }

    @Override
    public String root() {
        return root;
    }

    private void dispatch(Object item) {
        if (item == END) {
            die();
            return;
        }
        if (item instanceof byte[]) {
            stream.add(item);
            return;
        }
        List<?> reply = (List<?>) item;
        if ("credit".equals(reply.get(0))) {
            credit.release(((Number) reply.get(1)).intValue());
            return;
        }
        int id = ((Number) reply.get(1)).intValue();
        if (id == streamId) {
            stream.add(reply);
            return;
        }
        CompletableFuture<List<?>> waiting = pending.remove(id);
        if (waiting != null) {
            waiting.complete(reply);
        }
    }

    private void die() {
        RuntimeException cause;
        try {
            channel.waitClose(Duration.ofMillis(100));
            cause = new ChannelClosedException(gateway.id() + ": the rsync agent ended before the sync did");
        } catch (RuntimeException e) {
            cause = e;
        }
        dead = cause;
        for (CompletableFuture<List<?>> waiting : pending.values()) {
            waiting.completeExceptionally(cause);
        }
        pending.clear();
        stream.add(END);
        credit.release(WINDOW);
    }

    // ------------------------------------------------------------------ requests

    private CompletableFuture<List<?>> request(String command, Object... args) {
        flush();
        return requestNow(command, args);
    }

    private CompletableFuture<List<?>> requestNow(String command, Object... args) {
        int id = ids.incrementAndGet();
        CompletableFuture<List<?>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        Object[] parts = new Object[args.length + 2];
        parts[0] = command;
        parts[1] = id;
        System.arraycopy(args, 0, parts, 2, args.length);
        if (!send(PyTuple.wrap(parts))) {
            pending.remove(id);
            answer.completeExceptionally(dead != null ? dead : new ChannelClosedException(gateway.id() + ": channel closed"));
        }
        return answer;
    }

    /** Sends one item; false if the channel or gateway is gone. */
    private boolean send(Object item) {
        if (dead != null) {
            return false;
        }
        try {
            channel.send(item);
            return true;
        } catch (ExecnetException e) {
            return false;
        }
    }

    private void sendOrFail(Object item) throws IOException {
        if (!send(item)) {
            throw gone();
        }
    }

    private IOException gone() {
        RuntimeException cause = dead;
        return new IOException(cause != null ? cause.getMessage() : gateway.id() + ": the rsync channel is closed", cause);
    }

    private List<?> await(CompletableFuture<List<?>> answer, String what) throws IOException {
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException(gateway.id() + ": no answer to '" + what + "' within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + gateway.id());
        }
    }

    /** The value of an answer; an error answer becomes an IOException (SourceGone for a missing file). */
    private static Object value(List<?> reply, String path) throws IOException {
        switch ((String) reply.get(0)) {
            case "ok":
                return null;
            case "val":
                return reply.get(2);
            default:
                String message = String.valueOf(reply.get(2));
                if (message.startsWith("[Errno 2]")) {
                    throw new SourceGone(path);
                }
                throw new IOException(message);
        }
    }

    private Object call(String command, String path, Object... args) throws IOException {
        return value(await(request(command, args), command + " " + path), path);
    }

    /** Sends a change; its error, if the remote answers with one, goes to the outcome. */
    private void change(String command, Object... args) {
        request(command, args).thenAccept(reply -> {
            if ("err".equals(reply.get(0))) {
                outcome.error(String.valueOf(reply.get(2)));
            }
        });
    }

    // ------------------------------------------------------------------ Side

    @Override
    public Listing list(Predicate<Path> filter, boolean clean) throws IOException {
        List<?> value = (List<?>) call("list", root, clean);
        List<Entry> entries = new ArrayList<>();
        Predicate<String> included = SyncJob.included(filter);
        for (Object item : (List<?>) value.get(0)) {
            Entry entry = Entry.fromWire(item);
            if (included.test(entry.path())) {
                entries.add(entry);
            }
        }
        return new Listing(entries, ((List<?>) value.get(1)).stream().map(String::valueOf).toList());
    }

    @Override
    public List<byte[]> digests(List<String> paths) throws IOException {
        return ((List<?>) call("digests", root, paths)).stream().map(d -> (byte[]) d).toList();
    }

    /** The signatures of a file here, cut in blocks of {@code blockSize}. */
    Signatures signatures(String path, int blockSize) throws IOException {
        List<?> value = (List<?>) call("sigs", path, path, blockSize);
        return Signatures.fromWire(value, blockSize, ((Number) value.get(3)).longValue());
    }

    @Override
    public void read(String path, List<Segment> ranges, ChunkSink sink) throws IOException {
        int id = ids.incrementAndGet();
        streamId = id;
        List<PyTuple> wire = ranges.stream().map(r -> PyTuple.of(r.offset(), r.length())).toList();
        IOException failed = null;
        int unacked = 0;
        try {
            sendOrFail(PyTuple.of("read", id, path, wire));
            while (true) {
                Object item = stream.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (item == null) {
                    throw new IOException(gateway.id() + ": no data of " + path + " within " + timeout);
                }
                if (item == END) {
                    throw gone();
                }
                if (item instanceof byte[] chunk) {
                    unacked += chunk.length;
                    if (unacked >= WINDOW / 4) {
                        sendOrFail(PyTuple.of("credit", unacked));
                        unacked = 0;
                    }
                    if (failed == null) {
                        try {
                            sink.accept(chunk, 0, chunk.length);
                        } catch (IOException e) {
                            failed = e;                  // keep draining: the stream must end in step
                        }
                    }
                    continue;
                }
                value((List<?>) item, path);
                break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + path + " from " + gateway.id());
        } finally {
            streamId = -1;
            if (unacked > 0) {
                send(PyTuple.of("credit", unacked));
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void mkdir(String path) {
        change("mkdir", path);
    }

    @Override
    public void remove(String path) {
        change("remove", path);
    }

    @Override
    public void link(String path, String target, boolean inTree) {
        change("link", path, target, inTree);
    }

    @Override
    public void attrs(Entry entry) {
        change("attrs", entry.path(), entry.mode(), entry.mtimeNs());
    }

    @Override
    public void dirAttrs(List<Entry> dirs) {
        if (!dirs.isEmpty()) {
            change("dirattrs", dirs.stream().map(d -> PyTuple.of(d.path(), d.mode(), d.mtimeNs())).toList());
        }
    }

    @Override
    public void put(Entry entry, Plan plan, Side source) {
        if (!plan.usesBasis() && plan.literalBytes() <= INLINE_MAX) {
            putInline(entry, plan, source);
            return;
        }
        AtomicBoolean aborted = new AtomicBoolean();
        request("put", entry.path(), entry.mode(), entry.mtimeNs(), plan.usesBasis()).thenAccept(reply -> {
            if ("ok".equals(reply.get(0))) {
                outcome.fileDone(entry.path(), entry.size(), plan.literalBytes());
            } else if (!aborted.get()) {
                outcome.error(String.valueOf(reply.get(2)));
            }
        });
        try {
            Interleaver.run(plan, source, entry.path(),
                    s -> sendOrFail(PyTuple.of("copy", s.basis(), s.length())), this::sendChunk);
            sendOrFail(PyTuple.of("end", plan.digest()));
        } catch (IOException e) {
            aborted.set(true);
            send(PyTuple.of("abort", e.getMessage()));
            if (e instanceof SourceGone) {
                outcome.vanished(entry.path());
            } else if (dead == null && !channel.isClosed()) {
                outcome.error(e.getMessage());           // a dead remote fails the whole target instead
            }
        }
    }

    /** A small file: read whole and sent inline with others in one "puts" request. */
    private void putInline(Entry entry, Plan plan, Side source) {
        ByteArrayOutputStream data = new ByteArrayOutputStream((int) plan.literalBytes());
        try {
            if (!plan.segments().isEmpty()) {
                source.read(entry.path(), plan.segments(), data::write);
            }
        } catch (SourceGone e) {
            outcome.vanished(entry.path());
            return;
        } catch (IOException e) {
            outcome.error(e.getMessage());
            return;
        }
        byte[] bytes = data.toByteArray();
        batch.add(PyTuple.of(entry.path(), entry.mode(), entry.mtimeNs(), bytes));
        batchEntries.add(entry);
        batchBytes += bytes.length;
        if (batchBytes >= BATCH_BYTES || batch.size() >= BATCH_FILES) {
            flush();
        }
    }

    /** Sends the small files collected so far as one request; their credit comes back with its answer. */
    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<PyTuple> files = List.copyOf(batch);
        List<Entry> entries = List.copyOf(batchEntries);
        int bytes = batchBytes;
        batch.clear();
        batchEntries.clear();
        batchBytes = 0;
        try {
            acquire(bytes);
        } catch (IOException e) {
            if (dead == null) {
                outcome.error(e.getMessage());
            }
            return;
        }
        requestNow("puts", files).thenAccept(reply -> {
            credit.release(bytes);
            if (!"val".equals(reply.get(0))) {
                outcome.error(String.valueOf(reply.get(2)));
                return;
            }
            Set<String> failed = new HashSet<>();
            for (Object failure : (List<?>) reply.get(2)) {
                List<?> f = (List<?>) failure;
                failed.add((String) f.get(0));
                outcome.error((String) f.get(1));
            }
            entries.stream().filter(e -> !failed.contains(e.path())).forEach(e -> outcome.fileDone(e.path(), e.size(), e.size()));
        });
    }

    private void acquire(int bytes) throws IOException {
        try {
            if (!credit.tryAcquire(bytes, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException(gateway.id() + ": the remote took no data for " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to " + gateway.id());
        }
        if (dead != null) {
            throw gone();
        }
    }

    private void sendChunk(byte[] buf, int off, int len) throws IOException {
        acquire(len);
        sendOrFail(Arrays.copyOfRange(buf, off, off + len));
    }

    /**
     * Waits until the remote has carried out every change sent, then ends the agent.
     *
     * @throws IOException when the remote died or did not answer in time
     */
    void finish() throws IOException {
        call("done", root);
        channel.waitClose(timeout);
    }

    @Override
    public void close() {
        if (!channel.isClosed()) {
            channel.close();
        }
    }
}
