package org.execnet4j.trace.internal;

import org.execnet4j.api.Tracer;

/** Trace lines to this JVM's stderr, each prefixed {@code [pid] } as execnet does. */
public final class StderrTracer implements Tracer {
    private final String prefix = "[" + ProcessHandle.current().pid() + "] ";

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String remoteSetting() {
        return "2";
    }

    @Override
    public void trace(String source, String message) {
        System.err.println(prefix + source + " " + message);
    }
}
