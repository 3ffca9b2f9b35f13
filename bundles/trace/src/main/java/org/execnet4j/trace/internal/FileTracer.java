package org.execnet4j.trace.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.execnet4j.api.Tracer;

/**
 * Trace lines to a file made by {@link Files#createTempFile}: a random name, created only if it
 * does not exist (no symlink can redirect it), readable by the owner only. Each line is flushed.
 */
public final class FileTracer implements Tracer, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    private FileTracer(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /**
     * A tracer writing to a new file, readable by its owner only.
     *
     * @param directory where the file is created
     * @param prefix how its name starts
     * @return the tracer
     * @throws IOException when the file cannot be created
     */
    public static FileTracer create(Path directory, String prefix) throws IOException {
        Path file;
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            file = Files.createTempFile(directory, prefix, ".log",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            file = Files.createTempFile(directory, prefix, ".log");
        }
        return new FileTracer(file);
    }

    /** {@return the trace file} */
    public Path file() {
        return file;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String remoteSetting() {
        return "1";
    }

    @Override
    public synchronized void trace(String source, String message) {
        try {
            out.write(source);
            out.write(' ');
            out.write(message);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // tracing is diagnostic only; a full disk must not break gateways
        }
    }

    /** Closes the file; lines traced afterwards are dropped. */
    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to do for a diagnostic file
        }
    }
}
