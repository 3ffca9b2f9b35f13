package org.execnet4j.transport.popen.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.execnet4j.api.Connection;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.ShellWords;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code popen} transport: runs the interpreter as a child process of this JVM and speaks
 * over its stdin and stdout. {@code python=} is split with shell rules; without it the first
 * {@code python3} on {@code PATH} runs. Found through {@code META-INF/services} in plain Java and
 * registered as an OSGi service with {@code execnet.transport=popen} by Declarative Services.
 */
@Component(service = Transport.class, property = ServiceProperties.TRANSPORT_TYPE + "=" + PopenTransport.TYPE)
public final class PopenTransport implements Transport {
    /** The spec type served. */
    static final String TYPE = "popen";

    @Override
    public String type() {
        return TYPE;
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
            throw new IOException("cannot start '" + command.get(0) + "': " + e.getMessage(), e);
        }
        return new PopenConnection(process, "popen " + command.get(0));
    }

    private static List<String> interpreter(Spec spec) throws IOException {
        Optional<String> python = spec.python();
        if (python.isPresent()) {
            List<String> words;
            try {
                words = ShellWords.split(python.get());
            } catch (IllegalArgumentException e) {
                throw new IOException("python=" + python.get() + ": " + e.getMessage(), e);
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
