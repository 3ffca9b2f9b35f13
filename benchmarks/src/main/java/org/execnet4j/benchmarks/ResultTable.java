package org.execnet4j.benchmarks;

import java.io.PrintStream;

/** Prints the Java-vs-execnet comparison table: throughput in MB/s, ratios, and their targets (issue 13). */
final class ResultTable {
    static final double DUMPS_TARGET = 20.0;
    static final double LOADS_TARGET = 25.0;
    private static final String ROW = "%-6s  %-30s  %-38s  %-13s %s%n";

    private ResultTable() {
    }

    /**
     * Prints the table.
     *
     * @param size dump size in bytes (MB/s figures use MB = 10^6 bytes of dump form)
     * @param java JMH average times in ms per operation, with their 99.9% error, and allocation per operation
     */
    static void print(PrintStream out, int size, JavaTimes java, ExecnetResult py) {
        out.println();
        out.println("=== execnet4j Serializer vs Python execnet ===");
        out.printf("payload: %d records, dump form V1 = %,d bytes (%.3f MB; MB = 10^6 bytes)%n",
                Payloads.RECORDS, size, size / 1e6);
        out.println("Java:    " + java.description());
        out.println("execnet: " + py.message());
        out.printf(ROW, "op", "execnet4j", "execnet", "Java/execnet", "target");
        row(out, "dumps", size, java.dumps().ms(), java.dumps().errorMs(), py, py.dumpsBestS(), py.dumpsMedianS(), DUMPS_TARGET);
        row(out, "loads", size, java.loads().ms(), java.loads().errorMs(), py, py.loadsBestS(), py.loadsMedianS(), LOADS_TARGET);
        out.println("Java allocation per call and collections in JMH's measurement iterations (its GC profiler):");
        gcRow(out, "dumps", java.dumps());
        gcRow(out, "loads", java.loads());
        if (py.available()) {
            out.println("byte-identical: " + (py.byteIdentical() ? "yes"
                    : "no (first difference at byte " + py.firstDifference() + ")"));
        } else {
            out.println("execnet figures unavailable: " + py.message());
            out.println("byte-identical: unknown (execnet not run)");
        }
    }

    /**
     * Prints the CPU time per call of both sides (information, no target): other processes'
     * load inflates it far less than the wall-clock figures above.
     *
     * @param cpu this JVM's least process CPU per call
     * @param py execnet's figures, with its least process CPU per call
     */
    static void printCpu(PrintStream out, CpuPerCall cpu, ExecnetResult py) {
        out.println("CPU time per call (Java: least of 10 rounds of 100 calls, this JVM's process CPU, "
                + "GC included; execnet: least time.process_time of one call in 15):");
        cpuRow(out, "dumps", cpu.dumpsMs(), py.available() ? py.dumpsCpuBestS() * 1e3 : Double.NaN);
        cpuRow(out, "loads", cpu.loadsMs(), py.available() ? py.loadsCpuBestS() * 1e3 : Double.NaN);
    }

    private static void gcRow(PrintStream out, String op, JavaTimes.Op java) {
        out.printf("%-6s  %,.0f bytes allocated per call; gc.count %.0f, gc.time %.0f ms%n",
                op, java.allocBytes(), java.gcCount(), java.gcMs());
    }

    private static void cpuRow(PrintStream out, String op, double javaMs, double pyMs) {
        out.printf("%-6s  %8.2f ms CPU  %8.1f ms CPU  %8.1fx%n", op, javaMs, pyMs, pyMs / javaMs);
    }

    private static void row(PrintStream out, String op, int size, double javaMs, double javaErrMs,
                            ExecnetResult py, double pyBestS, double pyMedianS, double target) {
        double javaMbs = size / 1e6 / (javaMs / 1e3);
        String javaCell = String.format("%8.1f MB/s (%.2f±%.2f ms)", javaMbs, javaMs, javaErrMs);
        if (!py.available()) {
            out.printf(ROW, op, javaCell, "n/a", "n/a", "n/a");
            return;
        }
        double pyMbs = size / 1e6 / pyBestS;
        String pyCell = String.format("%6.2f MB/s (best %.1f, med %.1f ms)", pyMbs, pyBestS * 1e3, pyMedianS * 1e3);
        double ratio = javaMbs / pyMbs;
        out.printf(ROW, op, javaCell, pyCell, String.format("%8.1fx", ratio),
                String.format(">= %.0fx %s", target, ratio >= target ? "met" : "MISSED"));
    }
}
