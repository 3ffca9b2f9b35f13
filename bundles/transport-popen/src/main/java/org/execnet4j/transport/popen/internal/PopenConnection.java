package org.execnet4j.transport.popen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Connection;
import org.execnet4j.api.spi.KnownDescendants;

/**
 * A child process as a {@link Connection}. Killing it kills its descendants too, including those
 * seen before the child exited (they would otherwise be orphaned and outlive the gateway), and,
 * when the child leads its own process group (our agent does), the whole group: that also reaches
 * processes that were orphaned before anybody looked.
 */
final class PopenConnection implements Connection {
    private final Process process;
    private final String label;
    private final KnownDescendants knownDescendants;
    /** Whether the child was seen leading its own process group; checked when the host asks it to exit, or kills it while it runs. */
    private volatile boolean ledGroup;

    /** A connection to {@code process}; {@code label} starts its description, e.g. {@code popen python3}. */
    PopenConnection(Process process, String label) {
        this.process = process;
        this.label = label;
        this.knownDescendants = new KnownDescendants(() -> Optional.of(process.toHandle()));
    }

    @Override
    public InputStream input() {
        return process.getInputStream();
    }

    @Override
    public OutputStream output() {
        return process.getOutputStream();
    }

    @Override
    public InputStream errors() {
        return process.getErrorStream();
    }

    @Override
    public void closeOutput() {
        rememberDescendants();
        closeQuietly(process.getOutputStream());
    }

    @Override
    public void exitRequested() {
        rememberDescendants();
    }

    private void rememberDescendants() {
        noteGroup();
        knownDescendants.remember();
    }

    private void noteGroup() {
        if (!ledGroup && process.isAlive()) {
            ledGroup = ProcessGroups.leadsGroup(process.pid());
        }
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void kill() {
        boolean alive = process.isAlive();
        if (alive) {
            // once the child is gone its orphans are no longer its descendants: only the snapshot knows them
            rememberDescendants();
        }
        process.destroyForcibly();
        if (alive && ledGroup) {
            // the group id is not reused while the killed leader or other members remain; a leader
            // that ended on its own (our agent) took its group with it
            ProcessGroups.kill(process.pid());
        }
        knownDescendants.killAll();
        closeQuietly(process.getOutputStream());
        closeQuietly(process.getInputStream());
        closeQuietly(process.getErrorStream());
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public String describe() {
        return label + " (pid " + process.pid() + (process.isAlive() ? "" : ", ended") + ")";
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed or broken: nothing left to release
        }
    }
}
