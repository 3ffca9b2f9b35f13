package org.execnet4j.rsync;

import java.util.Objects;

/**
 * The options of one target, as execnet's {@code add_target} takes them: whether to delete what
 * the source does not have, and a callback for when the target finished successfully. Immutable;
 * start from {@link #defaults()}.
 */
public final class TargetOptions {
    private static final TargetOptions DEFAULTS = new TargetOptions(false, () -> {
    });

    private final boolean delete;
    private final Runnable onFinished;

    private TargetOptions(boolean delete, Runnable onFinished) {
        this.delete = delete;
        this.onFinished = onFinished;
    }

    /**
     * No deletion, no callback.
     *
     * @return the default options
     */
    public static TargetOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with deletion switched on or off.
     *
     * @param delete whether entries the source does not have (also those the filter excluded) are
     *               removed from the destination
     * @return new options
     */
    public TargetOptions delete(boolean delete) {
        return new TargetOptions(delete, onFinished);
    }

    /**
     * These options with a callback run once the target synced without error (execnet's
     * {@code finishedcallback}); it runs on the target's thread.
     *
     * @param onFinished the callback
     * @return new options
     */
    public TargetOptions onFinished(Runnable onFinished) {
        return new TargetOptions(delete, Objects.requireNonNull(onFinished, "onFinished"));
    }

    /**
     * Whether deletion is on.
     *
     * @return true when the destination loses what the source does not have
     */
    public boolean delete() {
        return delete;
    }

    /**
     * The callback for a successful target.
     *
     * @return the callback (a no-op unless set)
     */
    public Runnable onFinished() {
        return onFinished;
    }
}
