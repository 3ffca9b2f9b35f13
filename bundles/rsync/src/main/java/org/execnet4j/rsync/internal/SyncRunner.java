package org.execnet4j.rsync.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import org.execnet4j.api.Gateway;
import org.execnet4j.rsync.RSyncListener;
import org.execnet4j.rsync.TargetResult;

/**
 * Runs syncs for the API classes: a local source tree listed once and pushed to any number of
 * targets (each call may run on its own thread), or one pull.
 */
public final class SyncRunner {
    private final LocalEnd source;
    private final Listing listing;
    private final RSyncListener listener;
    private final Duration timeout;

    /**
     * Lists the source tree.
     *
     * @param source the local source directory
     * @param filter which paths (relative to the source) to include
     * @param listener told about every target
     * @param timeout the longest wait for any one answer from a remote
     */
    public SyncRunner(Path source, Predicate<Path> filter, RSyncListener listener, Duration timeout) {
        this.source = new LocalEnd(source, null);
        this.listing = this.source.list(filter, false);
        this.listener = listener;
        this.timeout = timeout;
    }

    /**
     * Syncs the source to {@code destDir} behind {@code gateway}.
     *
     * @param gateway the gateway the destination is reached through
     * @param destDir the destination directory on that side
     * @param delete whether to remove what the source does not have
     * @return what happened; failures are in it, never thrown
     */
    public TargetResult push(Gateway gateway, String destDir, boolean delete) {
        Outcome outcome = new Outcome(gateway.id(), destDir, listener);
        return run(gateway, destDir, timeout, outcome, remote -> SyncJob.push(source, listing, remote, delete, outcome));
    }

    /**
     * Copies {@code remoteDir} behind {@code gateway} to the local {@code localDir}.
     *
     * @param gateway the gateway the remote directory is reached through
     * @param remoteDir the directory on that side
     * @param localDir the local destination
     * @param filter which paths (relative to the remote directory) to include
     * @param delete whether to remove local entries the remote does not have
     * @param listener told about the pull
     * @param timeout the longest wait for any one answer
     * @return what happened; failures are in it, never thrown
     */
    public static TargetResult pull(Gateway gateway, String remoteDir, Path localDir, Predicate<Path> filter, boolean delete,
                                    RSyncListener listener, Duration timeout) {
        Outcome outcome = new Outcome(gateway.id(), localDir.toString(), listener);
        return run(gateway, remoteDir, timeout, outcome,
                remote -> SyncJob.pull(remote, filter, new LocalEnd(localDir, outcome), delete, outcome));
    }

    /** A sync with the remote side opened. */
    @FunctionalInterface
    private interface Job {
        void run(RemoteEnd remote) throws IOException;
    }

    /** Opens the remote side at {@code remoteDir}, runs the job, waits for the remote to finish; never throws. */
    private static TargetResult run(Gateway gateway, String remoteDir, Duration timeout, Outcome outcome, Job job) {
        RemoteEnd remote = null;
        try {
            remote = new RemoteEnd(gateway, remoteDir, timeout, outcome);
            job.run(remote);
            remote.finish();
            return outcome.result(Optional.empty());
        } catch (IOException | RuntimeException e) {
            return outcome.result(Optional.of(e));
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }
}
