package org.execnet4j.rsync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.execnet4j.api.Gateway;
import org.execnet4j.rsync.internal.SyncRunner;

/**
 * Sends a local directory tree to directories behind gateways, execnet's {@code RSync}: add
 * targets, then {@link #send()} once. Only what changed travels (size and mtime, then SHA-256;
 * files of 64 KiB and more as rsync deltas), content streams in chunks (any size, bounded
 * memory), every file is written to a temporary name and renamed into place, and all targets
 * run at once, each on its own thread, so a slow or dead target holds no other back.
 *
 * <pre>{@code
 * List<TargetResult> results = new RSync(Path.of("src"))
 *         .filter(p -> !p.getFileName().toString().endsWith(".pyc"))
 *         .addTarget(gw1, "/tmp/app")
 *         .addTarget(gw2, "/tmp/app", TargetOptions.defaults().delete(true))
 *         .send();
 * }</pre>
 *
 * <p>Semantics as execnet's: directories are created, modes and mtimes kept (directories' too),
 * symlinks to inside the tree are recreated pointing inside the destination, other symlinks are
 * copied with their target verbatim, {@code delete} removes what the source does not have (also
 * what the filter excluded), and the remote side refuses paths that would leave the destination.
 * Not thread-safe: configure and send from one thread.
 */
public final class RSync {
    /** How long one wait for a remote (an answer, room in its window) may take before the target fails. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final Path source;
    private final List<Target> targets = new ArrayList<>();
    private Predicate<Path> filter = path -> true;
    private RSyncListener listener = RSyncListener.NONE;
    private Duration timeout = DEFAULT_TIMEOUT;

    private record Target(Gateway gateway, String destDir, TargetOptions options) {
    }

    /**
     * A sync of the tree under {@code source}.
     *
     * @param source the local directory to send
     */
    public RSync(Path source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Includes only the entries {@code filter} accepts (execnet's overridable {@code filter}); an
     * excluded directory is not entered.
     *
     * @param filter gets each path relative to the source directory
     * @return this
     */
    public RSync filter(Predicate<Path> filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /**
     * Reports progress and results to {@code listener}.
     *
     * @param listener called from the targets' threads
     * @return this
     */
    public RSync listener(RSyncListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets how long any one wait for a remote may take (default {@link #DEFAULT_TIMEOUT}).
     *
     * @param timeout a positive duration
     * @return this
     */
    public RSync timeout(Duration timeout) {
        this.timeout = positive(timeout);
        return this;
    }

    /** {@code timeout}, checked to be positive. */
    static Duration positive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return timeout;
    }

    /**
     * Adds a destination with the default options.
     *
     * @param gateway the gateway the destination is reached through
     * @param destDir the destination directory on that side (made if missing)
     * @return this
     */
    public RSync addTarget(Gateway gateway, String destDir) {
        return addTarget(gateway, destDir, TargetOptions.defaults());
    }

    /**
     * Adds a destination.
     *
     * @param gateway the gateway the destination is reached through
     * @param destDir the destination directory on that side (made if missing)
     * @param options deletion and the finished callback
     * @return this
     */
    public RSync addTarget(Gateway gateway, String destDir, TargetOptions options) {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(options, "options");
        if (destDir == null || destDir.isEmpty()) {
            throw new IllegalArgumentException("destDir must name a directory");
        }
        targets.add(new Target(gateway, destDir, options));
        return this;
    }

    /**
     * Syncs to every target and throws if any did not complete; see {@link #send(boolean)}.
     *
     * @return one result per target, in the order they were added
     * @throws RSyncException when a target failed or could not sync some entries
     * @throws IllegalStateException when there are no targets (also on a second call)
     */
    public List<TargetResult> send() {
        return send(true);
    }

    /**
     * Syncs to every target at once and waits for all of them; each target ends by itself (done,
     * failed, or timed out waiting for its remote). The targets are used up: a second call has none.
     *
     * @param raises whether to throw when a target did not complete, and when there are no targets
     * @return one result per target, in the order they were added (empty without targets when not raising)
     * @throws RSyncException when {@code raises} and a target failed or could not sync some entries
     * @throws IllegalStateException when {@code raises} and there are no targets
     */
    public List<TargetResult> send(boolean raises) {
        if (targets.isEmpty()) {
            if (raises) {
                throw new IllegalStateException("no targets available, maybe you are trying call send() twice?");
            }
            return List.of();
        }
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("the source " + source + " is not a directory");
        }
        List<Target> todo = List.copyOf(targets);
        targets.clear();
        SyncRunner runner = new SyncRunner(source, filter, listener, timeout);
        TargetResult[] results = new TargetResult[todo.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            int index = i;
            Target target = todo.get(i);
            Thread thread = new Thread(() -> {
                results[index] = runner.push(target.gateway(), target.destDir(), target.options().delete());
                if (results[index].ok()) {
                    target.options().onFinished().run();
                }
            }, "execnet4j-rsync-" + target.gateway().id());
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        joinAll(threads);
        List<TargetResult> all = List.of(results);
        listener.allFinished(all);
        if (raises && all.stream().anyMatch(r -> !r.ok())) {
            throw new RSyncException(all);
        }
        return all;
    }

    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;                  // each target ends by its own timeouts
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A copy of {@code remoteDir} behind {@code gateway} to the local {@code localDir}, with the
     * same rules and options as a send; configure it, then {@link Pull#run()}.
     *
     * @param gateway the gateway the remote directory is reached through
     * @param remoteDir the directory on that side
     * @param localDir the local destination (made if missing)
     * @return the pull, not started yet
     */
    public static Pull pull(Gateway gateway, String remoteDir, Path localDir) {
        return new Pull(gateway, remoteDir, localDir);
    }
}
