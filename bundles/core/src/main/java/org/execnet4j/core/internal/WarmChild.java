package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.execnet4j.api.Connection;
import org.execnet4j.api.spi.KnownDescendants;

/**
 * A gateway process forked from a {@link WarmInterpreter}, as a {@link Connection}: its stdin
 * and stdout are one Unix domain socket, its stderr another. Its exit status comes from the warm
 * interpreter, which reaped it; killing it kills its process group (the agent leads one) through
 * the warm interpreter, and the descendants seen while it ran.
 */
final class WarmChild implements Connection {
    private static final long POLL_MILLIS = 100;

    private final WarmInterpreter warm;
    private final SocketChannel protocol;
    private final SocketChannel errorChannel;
    private final InputStream input;
    private final OutputStream output;
    private final InputStream errors;
    private final long pid;
    private final CompletableFuture<Integer> exit;
    private final String description;
    private final KnownDescendants knownDescendants = new KnownDescendants(this::handle);

    WarmChild(WarmInterpreter warm, SocketChannel protocol, SocketChannel errorChannel, long pid, String description)
            throws IOException {
        this.warm = warm;
        this.protocol = protocol;
        this.errorChannel = errorChannel;
        this.input = ChannelStreams.input(protocol);
        this.output = ChannelStreams.output(protocol);
        this.errors = ChannelStreams.polledInput(errorChannel);
        this.pid = pid;
        this.exit = warm.exitOf(pid);
        this.description = description;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public InputStream errors() {
        return errors;
    }

    @Override
    public void closeOutput() {
        knownDescendants.remember();
        try {
            output.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid);
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
                if (!warm.isAlive()) {
                    // nobody reaps it for us any more: wait for the process itself, without a status
                    Optional<ProcessHandle> h = handle();
                    if (h.isPresent()) {
                        h.get().onExit().get(left, TimeUnit.NANOSECONDS);
                    }
                    return OptionalInt.empty();
                }
                try {
                    exit.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // look again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // gone or still running
        }
        return OptionalInt.empty();
    }

    @Override
    public boolean isAlive() {
        if (exit.isDone()) {
            return false;
        }
        return warm.isAlive() || handle().map(ProcessHandle::isAlive).orElse(false);
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
        WarmInterpreter.closeAll(List.of(protocol, errorChannel));
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(pid);
    }

    @Override
    public String describe() {
        return description + " (pid " + pid + (isAlive() ? "" : ", ended") + ", forked from a warm interpreter)";
    }
}
