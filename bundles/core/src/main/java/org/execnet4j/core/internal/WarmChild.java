package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.execnet4j.api.Connection;
import org.execnet4j.api.spi.ByteStream;
import org.execnet4j.api.spi.KnownDescendants;

/**
 * A gateway process forked from a {@link WarmInterpreter}, as a {@link Connection}: its stdin
 * and stdout are one stream to the warm interpreter's Unix domain socket, its stderr another.
 * Its exit status comes from the warm interpreter, which reaped it; killing it kills its process
 * group (the agent leads one) through the warm interpreter. A local one's process is also seen
 * directly: its descendants are noted and killed as a popen gateway's are, and it is waited for
 * and killed by pid once its warm interpreter is gone. A remote one (ssh) then counts as running
 * while its stream is open, and closing the stream ends it as it ends a fresh remote gateway.
 */
final class WarmChild implements Connection {
    private static final long POLL_MILLIS = 100;

    private final WarmInterpreter warm;
    private final ByteStream protocol;
    private final ByteStream errorStream;
    private final long pid;
    private final CompletableFuture<Integer> exit;
    private final String description;
    private final KnownDescendants knownDescendants = new KnownDescendants(this::handle);

    WarmChild(WarmInterpreter warm, ByteStream protocol, ByteStream errorStream, long pid, String description) {
        this.warm = warm;
        this.protocol = protocol;
        this.errorStream = errorStream;
        this.pid = pid;
        this.exit = warm.exitOf(pid);
        this.description = description;
    }

    @Override
    public InputStream input() {
        return protocol.input();
    }

    @Override
    public OutputStream output() {
        return protocol.output();
    }

    @Override
    public InputStream errors() {
        return errorStream.input();
    }

    @Override
    public void closeOutput() {
        knownDescendants.remember();
        try {
            protocol.output().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** The local process, while it can still be had; empty for a remote one. */
    private Optional<ProcessHandle> handle() {
        return warm.isLocal() ? ProcessHandle.of(pid) : Optional.empty();
    }

    /** Whether it runs, as far as can be seen without its warm interpreter's reports. */
    private boolean seenAlive() {
        return warm.isLocal() ? handle().map(ProcessHandle::isAlive).orElse(false) : protocol.isOpen();
    }

    @Override
    public void exitRequested() {
        knownDescendants.remember();
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (exit.isDone()) {
                    warm.forget(pid);
                    return OptionalInt.of(exit.join());
                }
                if (left <= 0) {
                    return OptionalInt.empty();
                }
                if (!warm.isAlive() && !seenAlive()) {
                    return OptionalInt.empty();     // nobody reaped it for us: no status
                }
                try {
                    exit.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // look again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // gone
        }
        return OptionalInt.empty();
    }

    @Override
    public boolean isAlive() {
        if (exit.isDone()) {
            return false;
        }
        return warm.isAlive() || seenAlive();
    }

    @Override
    public void kill() {
        boolean alive = isAlive();
        if (alive) {
            knownDescendants.remember();
            if (warm.isAlive()) {
                warm.kill(pid);
            } else {
                handle().ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        knownDescendants.killAll();
        WarmInterpreter.closeAll(protocol, errorStream);
    }

    @Override
    public OptionalLong pid() {
        return warm.isLocal() ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    @Override
    public String describe() {
        return description + " (pid " + pid + (isAlive() ? "" : ", ended") + ", forked from a warm interpreter)";
    }
}
