package org.execnet4j.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.execnet4j.api.Tracer;
import org.execnet4j.trace.internal.FileTracer;
import org.execnet4j.trace.internal.StderrTracer;

/**
 * Makes the tracer for an {@code EXECNET_DEBUG} setting: empty or absent is off, {@code 2} writes
 * to stderr with a {@code [pid] } prefix, anything else (e.g. {@code 1}) writes to a trace file
 * of this process, created with a random name and owner-only permissions (execnet uses a
 * predictable path anyone could pre-create). Remote agents get the same setting.
 */
public final class Tracing {
    /** The environment variable execnet reads. */
    public static final String ENVIRONMENT_VARIABLE = "EXECNET_DEBUG";
    /** The system property that does the same and wins over the variable. */
    public static final String SYSTEM_PROPERTY = "execnet4j.debug";
    /** Trace file names start with this, then the pid and a random part. */
    public static final String FILE_PREFIX = "execnet-debug-";

    private Tracing() {
    }

    /** {@return the tracer for this JVM's {@value #SYSTEM_PROPERTY} property, else its {@value #ENVIRONMENT_VARIABLE}} */
    public static Tracer fromEnvironment() {
        String value = System.getProperty(SYSTEM_PROPERTY);
        return forSetting(value != null ? value : System.getenv(ENVIRONMENT_VARIABLE));
    }

    /**
     * The tracer for a setting value, files going to the system's temporary directory.
     *
     * @param value an {@code EXECNET_DEBUG} value: empty or null for off, {@code 2} for stderr, else a file
     * @return the tracer
     */
    public static Tracer forSetting(String value) {
        return forSetting(value, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * The tracer for a setting value, trace files going to {@code directory}.
     *
     * @param value an {@code EXECNET_DEBUG} value: empty or null for off, {@code 2} for stderr, else a file
     * @param directory where a trace file is created
     * @return the tracer
     */
    public static Tracer forSetting(String value, Path directory) {
        if (value == null || value.isBlank()) {
            return Tracer.OFF;
        }
        if (value.strip().equals("2")) {
            return new StderrTracer();
        }
        try {
            return FileTracer.create(directory, FILE_PREFIX + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a trace file in " + directory, e);
        }
    }
}
