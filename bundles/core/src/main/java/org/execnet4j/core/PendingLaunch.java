package org.execnet4j.core;

import java.util.Optional;

import org.execnet4j.api.Connection;

/**
 * A gateway start in progress, which its owner (a group being terminated) can cancel: the
 * interpreter's connection is killed at once, or as soon as the transport has opened it, and the
 * launch fails with the reason given. Thread-safe.
 */
public final class PendingLaunch {
    private Connection connection;
    private String cancelReason;

    /**
     * Kills the interpreter being started (now, or as soon as it is opened).
     *
     * @param reason why, for the launch's exception
     */
    public void cancel(String reason) {
        Connection toKill;
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = reason;
            toKill = connection;
        }
        if (toKill != null) {
            toKill.kill();
        }
    }

    /**
     * @return why the launch was cancelled, if it was
     */
    public synchronized Optional<String> cancelled() {
        return Optional.ofNullable(cancelReason);
    }

    /**
     * Hands over the opened connection; kills it when the launch was cancelled already.
     *
     * @param opened the interpreter's connection
     * @return whether the launch goes on
     */
    boolean attach(Connection opened) {
        synchronized (this) {
            if (cancelReason == null) {
                connection = opened;
                return true;
            }
        }
        opened.kill();
        return false;
    }
}
