package org.execnet4j.core.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Formats a Java exception as the text the Python peer receives in CHANNEL_CLOSE_ERROR. */
final class Tracebacks {
    private Tracebacks() {
    }

    static String format(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return "Java " + out;
    }
}
