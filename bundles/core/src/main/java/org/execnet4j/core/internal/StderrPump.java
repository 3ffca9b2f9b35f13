package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.execnet4j.api.RemoteOutput;
import org.execnet4j.api.spi.AwaitableInput;

/**
 * Copies a remote's stderr line by line to a {@link RemoteOutput} on its own thread, keeping the
 * last lines for error messages (why did the interpreter not start?). Lines are bounded (see
 * {@link OutputLines}); a sink that fails, even with an {@link Error}, loses its line but never
 * stops the pump, since a remote whose stderr is not drained blocks or gets broken pipes.
 *
 * <p>An OS pipe can be held open by a process the remote started and that outlived it, and a
 * thread blocked reading such a pipe never wakes. So a pipe is never read blockingly: the pump
 * reads what {@code available()} reports, sleeps a little when there is nothing (less when
 * {@link #wake() woken}), and stops once the remote has ended and everything it wrote is read. A
 * stream that can be waited on ({@link AwaitableInput}: a forked gateway's stderr socket) is
 * waited on instead of slept on: output and its end wake the pump at once, and it looks at whether
 * the remote still runs only now and then (an end of file can be held back by a process the
 * remote left behind). Streams over our own channels (a {@code via=} gateway) report nothing as
 * available before a read and do end when their gateway goes, so those are read blockingly.
 */
final class StderrPump implements Runnable {
    private static final long MIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long a pump waits on an {@link AwaitableInput} before it looks whether the remote still runs. */
    private static final Duration AWAIT = Duration.ofSeconds(1);

    private final String gatewayId;
    private final InputStream errors;
    private final BooleanSupplier remoteAlive;
    private final boolean polling;
    /** The stream to wait on, or null to sleep between looks. */
    private final AwaitableInput awaitable;
    private final OutputLines lines;
    private final OutputTail tail;
    private volatile RemoteOutput output;
    /** The thread that runs the pump, once it runs. */
    private volatile Thread runner;

    StderrPump(String gatewayId, InputStream errors, BooleanSupplier remoteAlive, int maxLine, int tailChars,
            RemoteOutput output) {
        this.gatewayId = gatewayId;
        this.errors = errors;
        this.remoteAlive = remoteAlive;
        this.polling = !(errors instanceof ChannelInputStream);
        this.awaitable = errors instanceof AwaitableInput a ? a : null;
        this.lines = new OutputLines(maxLine, this::line);
        this.tail = new OutputTail(tailChars);
        this.output = output;
    }

    void setOutput(RemoteOutput newOutput) {
        output = newOutput;
    }

    /** Makes a pump that waits for output look again now (the remote ended: it then stops once it read all). */
    void wake() {
        if (awaitable != null) {
            awaitable.wake();
        }
        Thread runner = this.runner;
        if (runner != null) {
            LockSupport.unpark(runner);
        }
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        byte[] buffer = new byte[8192];
        long idle = MIN_IDLE_NANOS;
        try {
            while (true) {
                int n;
                if (polling) {
                    boolean alive = remoteAlive.getAsBoolean();
                    int available = errors.available();
                    if (available <= 0) {
                        if (!alive) {
                            break; // it ended before we looked: all it wrote was available
                        }
                        if (awaitable == null) {
                            LockSupport.parkNanos(this, idle);
                            idle = Math.min(MAX_IDLE_NANOS, 2 * idle);
                        } else if (!awaitable.await(AWAIT)) {
                            break;  // it ended: all it wrote was read
                        }
                        if (Thread.currentThread().isInterrupted()) {
                            break;
                        }
                        continue;
                    }
                    idle = MIN_IDLE_NANOS;
                    n = errors.read(buffer, 0, Math.min(available, buffer.length));
                } else {
                    n = errors.read(buffer);
                }
                if (n < 0) {
                    break;
                }
                lines.feed(buffer, 0, n);
            }
        } catch (IOException e) {
            // the stream closed under us: the remote is gone
        } finally {
            lines.finish();
        }
    }

    private void line(String text) {
        try {
            tail.add(text);
            output.line(gatewayId, text);
        } catch (RuntimeException | Error e) {
            // a failing sink loses this line; the pump goes on, or the remote's writes would fail
        }
    }

    /** The last lines seen, joined, or empty. */
    String tail() {
        return tail.text();
    }
}
