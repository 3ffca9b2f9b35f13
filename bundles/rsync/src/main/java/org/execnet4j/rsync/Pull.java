package org.execnet4j.rsync;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.execnet4j.api.Gateway;
import org.execnet4j.rsync.internal.SyncRunner;

/**
 * Copies a remote directory tree to a local one through a gateway, with {@link RSync}'s rules
 * (only what changed, deltas for large files, temporary file and rename, modes, mtimes,
 * symlinks) and options: made by {@link RSync#pull(Gateway, String, Path)}, configured, then
 * {@link #run()}. Remote paths that would leave the local destination are refused.
 */
public final class Pull {
    private final Gateway gateway;
    private final String remoteDir;
    private final Path localDir;
    private TargetOptions options = TargetOptions.defaults();
    private Predicate<Path> filter = path -> true;
    private RSyncListener listener = RSyncListener.NONE;
    private Duration timeout = RSync.DEFAULT_TIMEOUT;

    Pull(Gateway gateway, String remoteDir, Path localDir) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        if (remoteDir == null || remoteDir.isEmpty()) {
            throw new IllegalArgumentException("remoteDir must name a directory");
        }
        this.remoteDir = remoteDir;
        this.localDir = Objects.requireNonNull(localDir, "localDir");
    }

    /**
     * Sets deletion and the finished callback.
     *
     * @param options the options
     * @return this
     */
    public Pull options(TargetOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Includes only the remote entries {@code filter} accepts; an excluded directory is not entered.
     *
     * @param filter gets each path relative to the remote directory
     * @return this
     */
    public Pull filter(Predicate<Path> filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /**
     * Reports progress and the result to {@code listener}.
     *
     * @param listener the listener
     * @return this
     */
    public Pull listener(RSyncListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets how long any one wait for the remote may take (default {@link RSync#DEFAULT_TIMEOUT}).
     *
     * @param timeout a positive duration
     * @return this
     */
    public Pull timeout(Duration timeout) {
        this.timeout = RSync.positive(timeout);
        return this;
    }

    /**
     * Runs the pull and throws if it did not complete.
     *
     * @return what it did
     * @throws RSyncException when it failed or could not copy some entries
     */
    public TargetResult run() {
        return run(true);
    }

    /**
     * Runs the pull.
     *
     * @param raises whether to throw when it did not complete
     * @return what it did
     * @throws RSyncException when {@code raises} and it failed or could not copy some entries
     */
    public TargetResult run(boolean raises) {
        TargetResult result = SyncRunner.pull(gateway, remoteDir, localDir, filter, options.delete(), listener, timeout);
        listener.allFinished(List.of(result));
        if (result.ok()) {
            options.onFinished().run();
        } else if (raises) {
            throw new RSyncException(List.of(result));
        }
        return result;
    }
}
