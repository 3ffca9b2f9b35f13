package org.execnet4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the python/*.py benchmark scripts with a given Python interpreter and returns its JSON line. */
final class ExecnetRun {
    static final String SCRIPT = "execnet_serializer_bench.py";
    private static final int REPEAT = Integer.getInteger("execnet4j.bench.repeat", 15);

    private ExecnetRun() {
    }

    /**
     * The outcome of one script run.
     *
     * @param json the last line of standard output starting with "{", or null if the run failed
     * @param error why it failed, or null
     */
    record Output(String json, String error) {
    }

    /** Runs the serializer script on a dump file; never throws for a missing Python or execnet. */
    static ExecnetResult run(String python, Path dumpFile) throws IOException, InterruptedException {
        Path script = locateScript(SCRIPT, "execnet4j.bench.script");
        Output out = runScript(python, script, List.of(dumpFile.toString(), String.valueOf(REPEAT)));
        return out.json() == null ? ExecnetResult.unavailable(out.error()) : ExecnetResult.parse(out.json());
    }

    /** Runs {@code python script args...} (stderr inherited) and returns its last JSON line or why there is none. */
    static Output runScript(String python, Path script, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return new Output(null, "cannot start " + python + ": " + e.getMessage());
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Output(null, python + " " + script + " did not finish within 10 minutes");
        }
        String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (process.exitValue() != 0 || json == null) {
            return new Output(null, python + " " + script + " failed (exit " + process.exitValue()
                    + "), output: " + out.strip());
        }
        return new Output(json, null);
    }

    /** The script from system property {@code property}, the source tree, or else the copy inside this jar. */
    static Path locateScript(String name, String property) throws IOException {
        String configured = System.getProperty(property);
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path candidate : new Path[] {Path.of("benchmarks", "python", name), Path.of("python", name)}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        Path copy = Files.createTempFile("execnet4j-", "-" + name);
        copy.toFile().deleteOnExit();
        try (InputStream in = ExecnetRun.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is neither in the source tree nor in the jar");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }
}
