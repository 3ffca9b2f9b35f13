package org.execnet4j.transport.popen.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.execnet4j.api.Connection;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.ByteStream;
import org.execnet4j.api.spi.ShellWords;
import org.execnet4j.api.spi.UnixSocketReach;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code popen} transport: runs the interpreter as a child process of this JVM and speaks
 * over its stdin and stdout. {@code python=} is split with shell rules; without it the first
 * {@code python3} on {@code PATH} runs. Its interpreters run on this machine, so it reaches their
 * Unix domain sockets directly ({@link UnixSocketReach}). Found through {@code META-INF/services} in plain Java and
 * registered as an OSGi service with {@code execnet.transport=popen} by Declarative Services.
 */
@Component(service = Transport.class, property = ServiceProperties.TRANSPORT_TYPE + "=" + PopenTransport.TYPE)
public final class PopenTransport implements Transport, UnixSocketReach {
    /** The spec type served. */
    static final String TYPE = "popen";
    /** Program names up to this long are quoted in error messages. */
    private static final int MAX_QUOTED = 200;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean runsOnThisMachine() {
        return true;
    }

    @Override
    public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
        List<String> command = new ArrayList<>(interpreter(spec));
        command.addAll(pythonArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(cannotStart(command.get(0), e), e);
        }
        return new PopenConnection(process, "popen " + command.get(0));
    }

    @Override
    public Optional<ByteStream> openUnixSocket(Connection interpreter, String path, boolean polled, Duration timeout)
            throws IOException {
        return Optional.of(LocalUnixSocket.open(Path.of(path), polled));
    }

    /**
     * Why a program did not start, quoting it once and only when short (a spec's 200 KB
     * {@code python=} value must not make a 600 KB message); the JDK's message repeats the
     * program, its cause says why.
     */
    private static String cannotStart(String program, IOException e) {
        String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        String quoted = program.length() <= MAX_QUOTED ? "'" + program + "'" : "a " + program.length() + "-character program";
        return "cannot start " + quoted + ": " + why;
    }

    private static List<String> interpreter(Spec spec) throws IOException {
        Optional<String> python = spec.python();
        if (python.isPresent()) {
            List<String> words;
            try {
                words = ShellWords.split(python.get());
            } catch (IllegalArgumentException e) {
                throw new IOException("the python= value: " + e.getMessage(), e);
            }
            if (words.isEmpty()) {
                throw new IOException("python=" + python.get() + " names no interpreter");
            }
            return words;
        }
        return List.of(findOnPath(Spec.DEFAULT_PYTHON).orElseThrow(() -> new IOException(
                "no " + Spec.DEFAULT_PYTHON + " on PATH; name an interpreter with python=... in the spec")));
    }

    private static Optional<String> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
