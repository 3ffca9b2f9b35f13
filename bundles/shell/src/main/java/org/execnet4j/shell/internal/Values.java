package org.execnet4j.shell.internal;

import java.time.Duration;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteError;
import org.execnet4j.api.RemoteInfo;

/** Text forms of Python values and remote facts for the console, and one-line error messages. */
final class Values {
    /** How long listing commands wait for a remote to answer. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

    private Values() {
    }

    /** A value as Python's {@code print} shows it: strings as they are, bytes as {@code b'...'}. */
    static String show(Object value) {
        if (value instanceof byte[] bytes) {
            StringBuilder out = new StringBuilder("b'");
            for (byte b : bytes) {
                int c = b & 0xff;
                if (c == '\\' || c == '\'') {
                    out.append('\\').append((char) c);
                } else if (c >= 32 && c < 127) {
                    out.append((char) c);
                } else {
                    out.append(String.format("\\x%02x", c));
                }
            }
            return out.append('\'').toString();
        }
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(value);
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

    /** The remote's facts, or empty when it does not answer in time. */
    /** How a gateway ended, in words: {@code exited}, {@code killed}, {@code already dead}. */
    static String describe(ExitOutcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

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
