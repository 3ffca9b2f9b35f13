package org.execnet4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.execnet4j.serializer.DumpFormat;
import org.execnet4j.serializer.Serializer;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Main class comparing execnet4j's Serializer with Python execnet's dumps/loads on the same
 * {@link Payloads} value; argument 1 or -Dexecnet4j.python names the Python (default /usr/bin/python3).
 */
public final class SerializerVsExecnet {
    private SerializerVsExecnet() {
    }

    /** Writes the payload dump, runs JMH, then the Python side, and prints the comparison table. */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String python = args.length > 0 ? args[0] : System.getProperty("execnet4j.python", "/usr/bin/python3");
        Object payload = Payloads.build();
        byte[] dump = Serializer.dumps(payload, DumpFormat.V1);
        Path dumpFile = Files.createTempFile("execnet4j-payload-", ".dump");
        dumpFile.toFile().deleteOnExit();
        Files.write(dumpFile, dump);

        JavaTimes java = runJmh();
        CpuPerCall cpu = CpuPerCall.measure(payload, dump);
        ExecnetResult py = ExecnetRun.run(python, dumpFile);
        ResultTable.print(System.out, dump.length, java, py);
        ResultTable.printCpu(System.out, cpu, py);
        System.out.printf("total wall time: %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static JavaTimes runJmh() throws Exception {
        // e.g. -Dexecnet4j.bench.jvmArgs=-XX:+UseSerialGC: extra options for JMH's forked JVM
        String extra = System.getProperty("execnet4j.bench.jvmArgs", "").trim();
        OptionsBuilder builder = new OptionsBuilder();
        builder.include(Pattern.quote(SerializerBenchmark.class.getName()) + "\\.");
        // allocation per call and the collections during the measurement (reads the JVM's counters)
        builder.addProfiler(GCProfiler.class);
        List<String> jvmArgs = new ArrayList<>(List.of(SerializerBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend()));
        if (!extra.isEmpty()) {
            // replaces @Fork's jvmArgsAppend, so those come first
            jvmArgs.addAll(List.of(extra.split("\\s+")));
            builder.jvmArgsAppend(jvmArgs.toArray(String[]::new));
        }
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, RunResult> byMethod = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byMethod.put(name.substring(name.lastIndexOf('.') + 1), r);
        }
        RunResult dumps = byMethod.get("dumps");
        RunResult loads = byMethod.get("loads");
        Fork fork = SerializerBenchmark.class.getAnnotation(Fork.class);
        Warmup warmup = SerializerBenchmark.class.getAnnotation(Warmup.class);
        Measurement measurement = SerializerBenchmark.class.getAnnotation(Measurement.class);
        String how = String.format("JMH average time (%s): %d forks, warm-up %d x %d s, measurement %d x %d s; "
                        + "fork JVM options %s; java %s",
                dumps.getPrimaryResult().getScoreUnit(), fork.value(), warmup.iterations(), warmup.time(),
                measurement.iterations(), measurement.time(), String.join(" ", jvmArgs), System.getProperty("java.version"));
        return new JavaTimes(JavaTimes.Op.of(dumps), JavaTimes.Op.of(loads), how);
    }
}
