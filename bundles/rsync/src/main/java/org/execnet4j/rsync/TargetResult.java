package org.execnet4j.rsync;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sync did for one target (or one pull).
 *
 * @param gateway the id of the gateway the target is reached through
 * @param destination the destination directory as given
 * @param filesSent files whose content was written
 * @param bytesSent content bytes that travelled (literal data only)
 * @param bytesSaved bytes that did not travel because the destination already had them (deltas)
 * @param deleted entries removed because the source does not have them (with {@code delete})
 * @param duration how long the target took
 * @param errors one message per entry that could not be synced (the others were)
 * @param vanished source files that disappeared while the sync ran (not errors)
 * @param failure what ended the target early (a dead gateway, a destination that cannot be
 *                made, a timeout), if anything did
 */
public record TargetResult(String gateway, String destination, int filesSent, long bytesSent, long bytesSaved,
                           int deleted, Duration duration, List<String> errors, List<String> vanished,
                           Optional<Throwable> failure) {

    /**
     * Checks the fields and copies the lists.
     *
     * @param gateway the gateway's id
     * @param destination the destination directory
     * @param filesSent files written
     * @param bytesSent literal content bytes that travelled
     * @param bytesSaved bytes deltas did not send
     * @param deleted entries removed
     * @param duration how long the target took
     * @param errors one message per entry not synced
     * @param vanished source files that disappeared
     * @param failure what ended the target early, if anything
     */
    public TargetResult {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(duration, "duration");
        errors = List.copyOf(errors);
        vanished = List.copyOf(vanished);
        Objects.requireNonNull(failure, "failure");
    }

    /**
     * Whether everything was synced: no failure and no entry error.
     *
     * @return true when the destination now mirrors the source
     */
    public boolean ok() {
        return failure.isEmpty() && errors.isEmpty();
    }

    /**
     * The target's name in messages and listener calls.
     *
     * @return {@code gateway:destination}
     */
    public String target() {
        return gateway + ":" + destination;
    }

    /**
     * A one-line description of what went wrong, or "ok".
     *
     * @return the failure's message, else the first error and how many there are, else "ok"
     */
    public String summary() {
        if (failure.isPresent()) {
            Throwable t = failure.get();
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        if (!errors.isEmpty()) {
            return errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more errors)" : "");
        }
        return "ok";
    }
}
