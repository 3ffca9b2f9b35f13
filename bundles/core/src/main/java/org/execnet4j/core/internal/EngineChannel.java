package org.execnet4j.core.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelClosedException;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.PyTuple;
import org.execnet4j.serializer.LoadOptions;
import org.execnet4j.serializer.WireFormat;

/**
 * The host side of one channel and its state machine (protocol.md §3.2): opened, send-only
 * (the peer will send no more) and closed. Items wait in a queue, or go to a callback; the end
 * of the channel is an end marker in that queue, so every waiter wakes when it comes.
 */
final class EngineChannel implements Channel {
    private static final Object END = new Object();
    /** The iterator's stand-in for a received None. */
    private static final Object NONE = new Object();

    /**
     * A received value, its payload bytes (what flow control counts) and its estimated heap size
     * (what the channel's bound counts: the decoder's own estimate).
     */
    private record Queued(Object value, int wireBytes, long retained) {
    }

    private final EngineGateway gateway;
    private final int id;
    private final ReceiveQueue queue = new ReceiveQueue();
    private final Deque<RuntimeException> pendingErrors = new ConcurrentLinkedDeque<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final SendWindow sendWindow;
    private final ConsumedCredit consumed;
    private volatile LoadOptions options;
    private volatile boolean closed;
    private volatile boolean receiveClosed;
    private volatile GatewayClosedException gatewayError;
    /** Written under the gateway's receive lock; read without it where a snapshot is enough. */
    private volatile Callback callback;

    private record Callback(Consumer<Object> consumer, Object endMarker, boolean wantsEnd, LoadOptions options) {
    }

    EngineChannel(EngineGateway gateway, int id, LoadOptions options) {
        this.gateway = gateway;
        this.id = id;
        this.options = options;
        this.sendWindow = new SendWindow(gateway.flowWindow());
        this.consumed = new ConsumedCredit(gateway.flowWindow());
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Gateway gateway() {
        return gateway;
    }

    @Override
    public void send(Object item) {
        send(item, null);
    }

    @Override
    public void send(Object item, Duration timeout) {
        if (closed) {
            throw closedForSending();
        }
        gateway.sendItem(id, item, sendWindow, timeout, this);
    }

    private ChannelClosedException closedForSending() {
        return new ChannelClosedException("cannot send to " + this + ": it is closed");
    }

    /** The peer consumed {@code bytes} of what this side sent (CHANNEL_CREDIT). */
    void credited(long bytes) {
        sendWindow.credit(bytes);
    }

    @Override
    public Object receive() {
        return receive((Duration) null);
    }

    @Override
    public Object receive(Duration timeout) {
        if (callback != null) {
            throw new IllegalStateException("cannot receive(): " + this + " has a callback");
        }
        Object item;
        try {
            item = queue.take(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while waiting on " + this, e);
        }
        if (item == null) {
            throw new ChannelTimeoutException("no item on " + this + " after " + timeout);
        }
        if (item == END) {
            queue.addFirst(END);
            throw endOfChannel();
        }
        return dequeued((Queued) item);
    }

    private Object dequeued(Queued item) {
        queuedBytes.addAndGet(-item.retained());
        taken(item.wireBytes());
        return item.value();
    }

    /** The application took an item (received, or handled by the callback): credit it when due. */
    private void taken(int wireBytes) {
        long due = consumed.taken(wireBytes);
        if (due > 0) {
            gateway.sendCredit(id, due);
        }
    }

    /** What receive() and waitClose() raise at the end: a pending error once, then the gateway's death, then a clean end. */
    private RuntimeException endOfChannel() {
        RuntimeException pending = pendingErrors.poll();
        if (pending != null) {
            return pending;
        }
        GatewayClosedException dead = gatewayError;
        if (dead != null) {
            return new GatewayClosedException(dead.getMessage(), dead.getCause());
        }
        return new ChannelClosedException(this + " is closed");
    }

    @Override
    public void setCallback(Consumer<Object> consumer) {
        install(consumer, null, false);
    }

    @Override
    public void setCallback(Consumer<Object> consumer, Object endMarker) {
        install(consumer, endMarker, true);
    }

    private void install(Consumer<Object> consumer, Object endMarker, boolean wantsEnd) {
        gateway.receiveLock().lock();
        try {
            if (callback != null) {
                throw new IllegalStateException(this + " has a callback already");
            }
            Callback cb = new Callback(consumer, endMarker, wantsEnd, options);
            Object item;
            while ((item = queue.poll()) != null) {
                if (item == END) {
                    queue.addFirst(END);
                    if (wantsEnd) {
                        call(cb, endMarker);
                    }
                    return;
                }
                if (!call(cb, dequeued((Queued) item))) {
                    return;
                }
            }
            callback = cb;
            gateway.pin(this, true);
        } finally {
            gateway.receiveLock().unlock();
        }
    }

    /** A CHANNEL_DATA payload for this channel; runs on the receiver thread under the receive lock. */
    void deliver(byte[] payload) {
        if (receiveClosed) {
            return;
        }
        Callback cb = callback;
        WireFormat.Decoded decoded;
        try {
            decoded = gateway.decodeMeasured(payload, cb != null ? cb.options() : options);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            failLocally("the host could not decode an item: " + e.getMessage(),
                    new ExecnetException("the host could not decode an item on " + this + ": " + e, e));
            return;
        }
        Object value = decoded.value();
        if (cb == null) {
            long retained = decoded.heapBytes();
            long limit = gateway.maxQueuedBytes();
            long total = queuedBytes.addAndGet(retained);
            if (total > limit) {
                queuedBytes.addAndGet(-retained);
                String problem = this + " would hold about " + total + " bytes of decoded items nobody received, more than "
                        + limit + " (maxQueuedBytes): the receiver does not keep up";
                failLocally("execnet4j host: " + problem, new ExecnetException(problem));
                return;
            }
            queue.add(new Queued(value, payload.length, retained));
            return;
        }
        call(cb, value);
        taken(payload.length);
    }

    /** An item over the limit arrived (the reader skipped it): this channel fails, on both sides. */
    void refuseOversized(int length) {
        if (receiveClosed) {
            return;
        }
        String problem = "the remote sent an item of " + length + " bytes on " + this + ", over the limit of "
                + gateway.maxItemBytes() + " bytes (maxItemBytes): it was dropped";
        failLocally("execnet4j host: " + problem, new ExecnetException(problem));
    }

    /**
     * Calls the callback with an item or the end marker. Whatever it throws (a checked exception
     * thrown sneakily, a StackOverflowError) ends this channel only: the peer gets the Java
     * traceback, this side's waiters the error, and the callback is never called again.
     *
     * @return false when the callback failed
     */
    private boolean call(Callback cb, Object value) {
        try {
            cb.consumer().accept(value);
            return true;
        } catch (Throwable t) {
            callback = null;
            failLocally(Tracebacks.format(t), new ExecnetException("callback of " + this + " failed: " + t, t));
            return false;
        }
    }

    /** Closes this channel with an error on both sides: the peer gets {@code remoteText}, this side {@code localError}. */
    private void failLocally(String remoteText, RuntimeException localError) {
        gateway.sendQuietly(MessageType.CHANNEL_CLOSE_ERROR, id, remoteText);
        closed = true;
        pendingErrors.add(localError);
        end(null, false, null);
    }

    /**
     * The channel ends here: by a local close, the peer's CLOSE/CLOSE_ERROR, its LAST_MESSAGE
     * ({@code sendOnly}) or the gateway's end ({@code sendOnly} with {@code dead}).
     */
    void end(RuntimeException error, boolean sendOnly, GatewayClosedException dead) {
        gateway.receiveLock().lock();
        try {
            if (error != null) {
                pendingErrors.add(error);
            }
            if (!sendOnly) {
                closed = true;
            }
            if (closed || dead != null) {
                // the table keeps a send-only channel: the peer still reads it and credits what it consumed
                gateway.forget(this);
                sendWindow.end(dead == null ? this::closedForSending : () -> new GatewayClosedException(dead.getMessage(), dead.getCause()));
            }
            if (receiveClosed) {
                return;
            }
            if (dead != null) {
                gatewayError = dead;
            }
            receiveClosed = true;
            queue.add(END);
            Callback cb = callback;
            callback = null;
            if (cb != null && cb.wantsEnd()) {
                call(cb, cb.endMarker());
            }
            ended.countDown();
        } finally {
            gateway.receiveLock().unlock();
        }
    }

    @Override
    public void close() {
        closeWith(MessageType.CHANNEL_CLOSE, null);
    }

    @Override
    public void close(String error) {
        closeWith(MessageType.CHANNEL_CLOSE_ERROR, error == null ? "" : error);
    }

    private void closeWith(MessageType type, String error) {
        if (closed) {
            return;
        }
        if (!receiveClosed) {
            if (error == null) {
                gateway.sendEmptyQuietly(type, id);
            } else {
                gateway.sendQuietly(type, id, error);
            }
        }
        end(null, false, null);
    }

    /** Drops the channel without telling the peer (after a STATUS answer, whose CLOSE follows on its own). */
    void forgetLocally() {
        closed = true;
        end(null, false, null);
    }

    @Override
    public void waitClose() {
        waitClose(null);
    }

    @Override
    public void waitClose(Duration timeout) {
        try {
            if (timeout == null) {
                ended.await();
            } else if (!ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ChannelTimeoutException(this + " not closed after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while waiting for " + this + " to close", e);
        }
        RuntimeException pending = pendingErrors.poll();
        if (pending != null) {
            throw pending;
        }
        GatewayClosedException dead = gatewayError;
        if (dead != null) {
            throw new GatewayClosedException(dead.getMessage(), dead.getCause());
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void reconfigure(boolean py2strAsPy3str, boolean py3strAsPy2str) {
        options = options.withStringCoercion(py2strAsPy3str, py3strAsPy2str);
        gateway.sendValue(MessageType.RECONFIGURE, id, PyTuple.of(py2strAsPy3str, py3strAsPy2str));
    }

    /** The peer reconfigured this channel: later items decode with these options. */
    void reconfigureLocally(LoadOptions newOptions) {
        options = newOptions;
    }

    @Override
    public InputStream inputStream(boolean proxyClose) {
        return new ChannelInputStream(this, proxyClose);
    }

    @Override
    public OutputStream outputStream(boolean proxyClose) {
        return new ChannelOutputStream(this, proxyClose);
    }

    @Override
    public Iterator<Object> iterator() {
        return new Iterator<>() {
            private Object next = END;

            @Override
            public boolean hasNext() {
                if (next != END) {
                    return true;
                }
                try {
                    Object item = receive();
                    next = item == null ? NONE : item;
                    return true;
                } catch (ChannelClosedException e) {
                    return false;
                }
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(EngineChannel.this + " is closed");
                }
                Object item = next;
                next = END;
                return item == NONE ? null : item;
            }
        };
    }

    @Override
    public String toString() {
        return "<Channel id=" + id + (closed ? " closed" : receiveClosed ? " sendonly" : " open")
                + " of " + gateway.id() + ">";
    }
}
