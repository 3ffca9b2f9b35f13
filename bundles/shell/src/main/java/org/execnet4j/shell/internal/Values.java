package org.execnet4j.shell.internal;

import java.time.Duration;
import java.util.Locale;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteError;
import org.execnet4j.api.RemoteInfo;

/** Text forms of remote facts for the console, and one-line error messages. */
final class Values {
    /** How long listing commands wait for a remote to answer. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

    private Values() {
    }

    /** The last line of a remote traceback ({@code ZeroDivisionError: division by zero}), or the message. */
    static String oneLine(Throwable error) {
        String text = error instanceof RemoteError remote ? remote.formatted() : error.getMessage();
        if (text == null || text.isBlank()) {
            return error.getClass().getSimpleName();
        }
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }

    /** How a gateway ended, in words: {@code exited}, {@code killed}, {@code already dead}. */
    static String describe(ExitOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The remote's facts, or {@code null} when it is dead or does not answer in time. */
    static RemoteInfo info(Gateway gateway) {
        if (!gateway.isAlive()) {
            return null;
        }
        try {
            return gateway.remoteInfo(QUERY_TIMEOUT);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code 3.11.2} from a {@code sys.version_info} tuple. */
    static String version(PyTuple versionInfo) {
        return versionInfo.size() < 3 ? String.valueOf(versionInfo)
                : versionInfo.get(0) + "." + versionInfo.get(1) + "." + versionInfo.get(2);
    }
}
