package org.execnet4j.rsync;

import java.util.List;

/**
 * Follows a sync: what each target needs, each file as it is done, each target's result. Targets
 * run in parallel, so methods are called from several threads at once (and, for remote
 * destinations, from a gateway's receiver thread): implementations must be thread-safe and quick.
 */
public interface RSyncListener {
    /** A listener that ignores everything. */
    RSyncListener NONE = new RSyncListener() {
    };

    /**
     * The target compared both trees and will now transfer {@code files} files of {@code bytes}
     * bytes in all (their full sizes; deltas make the traffic smaller).
     *
     * @param target the target, as {@code gatewayId:destination}
     * @param files the number of files whose content is transferred
     * @param bytes their total size
     */
    default void planned(String target, int files, long bytes) {
    }

    /**
     * One file of the plan is in place at the destination.
     *
     * @param target the target, as {@code gatewayId:destination}
     * @param path the file's path relative to the tree's root, "/"-separated
     * @param bytes the file's size
     */
    default void fileDone(String target, String path, long bytes) {
    }

    /**
     * A target is finished, successfully or not.
     *
     * @param result what it did
     */
    default void finished(TargetResult result) {
    }

    /**
     * Every target is finished.
     *
     * @param results one per target, in the order they were added
     */
    default void allFinished(List<TargetResult> results) {
    }
}
