package org.execnet4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Runs python/execnet_serializer_bench.py on a dump file with a given Python interpreter. */
final class ExecnetRun {
    static final String SCRIPT = "execnet_serializer_bench.py";
    private static final int REPEAT = Integer.getInteger("execnet4j.bench.repeat", 15);

    private ExecnetRun() {
    }

    /** Runs the script and returns its figures; never throws for a missing Python or execnet. */
    static ExecnetResult run(String python, Path dumpFile) throws IOException, InterruptedException {
        Path script = locateScript();
        Process process;
        try {
            process = new ProcessBuilder(python, script.toString(), dumpFile.toString(), String.valueOf(REPEAT))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            return ExecnetResult.unavailable("cannot start " + python + ": " + e.getMessage());
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return ExecnetResult.unavailable(python + " " + script + " did not finish within 10 minutes");
        }
        String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (process.exitValue() != 0 || json == null) {
            return ExecnetResult.unavailable(python + " " + script + " failed (exit " + process.exitValue()
                    + "), output: " + out.strip());
        }
        return ExecnetResult.parse(json);
    }

    /** The script from -Dexecnet4j.bench.script, the source tree, or else the copy inside this jar. */
    private static Path locateScript() throws IOException {
        String configured = System.getProperty("execnet4j.bench.script");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path candidate : new Path[] {Path.of("benchmarks", "python", SCRIPT), Path.of("python", SCRIPT)}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        Path copy = Files.createTempFile("execnet4j-", "-" + SCRIPT);
        copy.toFile().deleteOnExit();
        try (InputStream in = ExecnetRun.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is neither in the source tree nor in the jar");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }
}
