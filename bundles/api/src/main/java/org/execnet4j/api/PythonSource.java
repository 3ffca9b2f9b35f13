package org.execnet4j.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Python code for {@link Gateway#remoteExec(PythonSource, java.util.Map)}: a snippet, a module
 * (from a file, URL or classpath resource) or a function to call with keyword arguments.
 *
 * @param text the source text sent to the remote
 * @param filename the name remote tracebacks show, or empty for {@code <remote exec>}
 * @param callName the function the remote calls after running the text, or empty
 */
public record PythonSource(String text, Optional<String> filename, Optional<String> callName) {

    /**
     * Checks that no part is {@code null}.
     *
     * @param text the source text sent to the remote
     * @param filename the name remote tracebacks show, or empty for {@code <remote exec>}
     * @param callName the function the remote calls after running the text, or empty
     * @throws NullPointerException if any of them is {@code null}
     */
    public PythonSource {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(callName, "callName");
    }

    /**
     * A snippet, with its common indentation removed (execnet does the same).
     *
     * @param source Python statements; the remote runs them with {@code channel} defined
     * @return the source
     */
    public static PythonSource code(String source) {
        return new PythonSource(dedent(source), Optional.empty(), Optional.empty());
    }

    /**
     * The source of a function {@code def name(channel, **kwargs)} (it may also define helpers);
     * the remote runs the source, then calls {@code name(channel, **kwargs)}.
     *
     * @param source the Python source defining the function, its common indentation removed
     * @param name the function's name
     * @return the source, with {@code name} as its call name
     * @throws IllegalArgumentException if {@code name} is not a Python identifier
     */
    public static PythonSource function(String source, String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a Python function name: " + name);
        }
        return new PythonSource(dedent(source), Optional.empty(), Optional.of(name));
    }

    /**
     * A module file, read now as UTF-8; tracebacks show its path.
     *
     * @param file the module's path
     * @return the source
     * @throws UncheckedIOException if the file cannot be read
     */
    public static PythonSource module(Path file) {
        try {
            return new PythonSource(Files.readString(file, StandardCharsets.UTF_8), Optional.of(file.toString()), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Python module " + file, e);
        }
    }

    /**
     * A module at a URL (for example a bundle or classpath resource), read now as UTF-8;
     * tracebacks show the URL.
     *
     * @param url where the module is
     * @return the source
     * @throws UncheckedIOException if the URL cannot be read
     */
    public static PythonSource module(URL url) {
        try (InputStream in = url.openStream()) {
            return new PythonSource(new String(in.readAllBytes(), StandardCharsets.UTF_8), Optional.of(url.toString()),
                    Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Python module " + url, e);
        }
    }

    /**
     * A module that is a resource next to {@code anchor} (as {@link Class#getResource} finds it).
     *
     * @param anchor the class the resource name is resolved against
     * @param name the resource name, relative to the anchor's package or absolute with {@code /}
     * @return the source
     * @throws IllegalArgumentException if there is no such resource
     * @throws UncheckedIOException if it cannot be read
     */
    public static PythonSource resource(Class<?> anchor, String name) {
        URL url = anchor.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no resource '" + name + "' next to " + anchor.getName());
        }
        return module(url);
    }

    /** Removes the whitespace prefix common to all non-blank lines, as Python's textwrap.dedent. */
    static String dedent(String source) {
        String[] lines = source.split("\n", -1);
        String prefix = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int n = 0;
            while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
                n++;
            }
            String indent = line.substring(0, n);
            if (prefix == null) {
                prefix = indent;
            } else {
                int common = 0;
                while (common < prefix.length() && common < indent.length() && prefix.charAt(common) == indent.charAt(common)) {
                    common++;
                }
                prefix = prefix.substring(0, common);
            }
        }
        if (prefix == null || prefix.isEmpty()) {
            return source;
        }
        StringBuilder out = new StringBuilder(source.length());
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            out.append(line.isBlank() ? "" : line.substring(prefix.length()));
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
