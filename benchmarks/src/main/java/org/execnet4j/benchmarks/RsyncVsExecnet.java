package org.execnet4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.execnet4j.Execnet;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.rsync.RSync;
import org.execnet4j.rsync.TargetResult;

/**
 * Main class comparing execnet4j's RSync with Python execnet's RSync (host {@code /usr/bin/python3},
 * a fresh process per sync, gateway start not timed) and with {@code rsync -a} (local), side by side
 * on {@link RsyncTree} through a popen gateway: first sync, no-change sync, ten files changed.
 * Then execnet4j alone: one target against 16 targets at once (wall and host CPU time).
 */
public final class RsyncVsExecnet {
    static final String SCRIPT = "execnet_rsync_bench.py";

    /** The phases of a round. */
    enum Phase { FIRST, NO_CHANGE, CHANGED }

    /** The tools compared. */
    enum Tool { EXECNET4J, EXECNET, RSYNC }

    private RsyncVsExecnet() {
    }

    /** Runs the rounds and prints both tables. */
    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : System.getProperty("execnet4j.python", "/usr/bin/python3");
        int rounds = Integer.getInteger("execnet4j.bench.rounds", 3);
        int warmups = Integer.getInteger("execnet4j.bench.warmups", 1);
        int many = Integer.getInteger("execnet4j.bench.targets", 16);
        String spec = System.getProperty("execnet4j.bench.spec", "popen//python=/usr/bin/python3");
        Path script = ExecnetRun.locateScript(SCRIPT, "execnet4j.bench.rsyncScript");
        Path work = Files.createTempDirectory("execnet4j-rsync-bench");
        Path src = work.resolve("src");
        long size = RsyncTree.create(src);
        System.out.printf("tree: %d files, %.1f MB (MB = 10^6 bytes), spec %s, host Python %s, %d rounds after %d warm-up%n",
                RsyncTree.FILES, size / 1e6, spec, python, rounds, warmups);
        Map<Tool, Map<Phase, List<Double>>> times = new EnumMap<>(Tool.class);
        Map<Integer, Map<String, List<Double>>> scaling = new LinkedHashMap<>();
        List<Long> deltaBytes = new ArrayList<>();
        String pyNote = null;
        try (Group group = Execnet.newGroup("rsync-bench")) {
            Gateway gw = group.makeGateway(spec);
            for (int round = -warmups; round < rounds; round++) {
                Path base = work.resolve("round" + (round + warmups));
                Map<Tool, Map<Phase, Double>> got = new EnumMap<>(Tool.class);
                for (Phase phase : Phase.values()) {
                    if (phase == Phase.CHANGED) {
                        RsyncTree.change(src, round + warmups + 1);
                    }
                    for (Tool tool : Tool.values()) {
                        Path dst = base.resolve(tool.name());
                        double s;
                        switch (tool) {
                            case EXECNET4J -> {
                                long t0 = System.nanoTime();
                                TargetResult r = new RSync(src).addTarget(gw, dst.toString()).send().get(0);
                                s = (System.nanoTime() - t0) / 1e9;
                                if (phase == Phase.CHANGED && round >= 0) {
                                    deltaBytes.add(r.bytesSent());
                                }
                            }
                            case EXECNET -> {
                                ExecnetRun.Output out = ExecnetRun.runScript(python, script,
                                        List.of(src.toString(), dst.toString(), spec));
                                if (out.json() == null || !"true".equals(FlatJson.field(out.json(), "execnet_available"))) {
                                    pyNote = out.json() == null ? out.error() : FlatJson.string(out.json(), "error");
                                    s = Double.NaN;
                                } else {
                                    pyNote = "execnet " + FlatJson.string(out.json(), "execnet_version") + " on "
                                            + FlatJson.string(out.json(), "python");
                                    s = FlatJson.number(out.json(), "seconds");
                                }
                            }
                            default -> s = rsyncA(src, dst);
                        }
                        got.computeIfAbsent(tool, t -> new EnumMap<>(Phase.class)).put(phase, s);
                    }
                }
                System.out.println((round < 0 ? "warm-up " : "round ") + (round < 0 ? round + warmups + 1 : round + 1) + ": " + got);
                if (round >= 0) {
                    got.forEach((tool, phases) -> phases.forEach((phase, s) -> times
                            .computeIfAbsent(tool, t -> new EnumMap<>(Phase.class))
                            .computeIfAbsent(phase, p -> new ArrayList<>()).add(s)));
                }
                delete(base);
            }
            List<Gateway> gateways = new ArrayList<>(group.makeGateways(Collections.nCopies(many, spec)));
            for (int round = -warmups; round < rounds; round++) {
                for (int n : new int[] {1, many}) {
                    Path base = work.resolve("targets" + n);
                    Map<String, Double> got = targets(src, base, gateways.subList(0, n));
                    if (round >= 0) {
                        got.forEach((k, v) -> scaling.computeIfAbsent(n, x -> new LinkedHashMap<>())
                                .computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    }
                    delete(base);
                }
            }
        } finally {
            delete(work);
        }
        print(times, deltaBytes, pyNote, scaling, many);
    }

    /** One target set: a first sync and a no-change sync, wall and host CPU seconds of each. */
    private static Map<String, Double> targets(Path src, Path base, List<Gateway> gateways) {
        Map<String, Double> got = new LinkedHashMap<>();
        for (String phase : List.of("first sync", "no-change sync")) {
            RSync rsync = new RSync(src);
            for (int i = 0; i < gateways.size(); i++) {
                rsync.addTarget(gateways.get(i), base.resolve("t" + i).toString());
            }
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            rsync.send();
            got.put(phase + " wall", (System.nanoTime() - t0) / 1e9);
            got.put(phase + " host CPU", (cpuNanos() - cpu0) / 1e9);
        }
        return got;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double rsyncA(Path src, Path dst) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("rsync", "-a", src + "/", dst + "/").inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("rsync -a failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void print(Map<Tool, Map<Phase, List<Double>>> times, List<Long> deltaBytes, String pyNote,
                              Map<Integer, Map<String, List<Double>>> scaling, int many) {
        System.out.println();
        System.out.println("=== RSync: execnet4j vs execnet (" + pyNote + ") vs rsync -a, medians in ms ===");
        String row = "%-16s %10s %10s %10s %18s %20s%n";
        System.out.printf(row, "phase", "execnet4j", "execnet", "rsync -a", "e4j/rsync (<=1.0)", "e4j/execnet (<=0.5)");
        for (Phase phase : Phase.values()) {
            double j = median(times.get(Tool.EXECNET4J).get(phase));
            double e = median(times.get(Tool.EXECNET).get(phase));
            double r = median(times.get(Tool.RSYNC).get(phase));
            System.out.printf(row, phase.name().toLowerCase().replace('_', '-'), ms(j), ms(e), ms(r),
                    ratio(j / r, 1.0), ratio(j / e, 0.5));
        }
        System.out.println("execnet4j bytes sent in the changed phase: " + deltaBytes);
        System.out.println();
        System.out.println("=== execnet4j: 1 target vs " + many + " targets at once, medians ===");
        Map<String, List<Double>> one = scaling.get(1);
        Map<String, List<Double>> all = scaling.get(many);
        System.out.printf("%-26s %12s %12s %18s%n", "figure", "1 target", many + " targets", "ratio (<=2.0)");
        for (String key : one.keySet()) {
            double a = median(one.get(key));
            double b = median(all.get(key));
            System.out.printf("%-26s %9.0f ms %9.0f ms %18s%n", key, a * 1e3, b * 1e3, ratio(b / a, 2.0));
        }
    }

    private static String ms(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format("%.0f", seconds * 1e3);
    }

    private static String ratio(double r, double goal) {
        return Double.isNaN(r) ? "n/a" : String.format("%.2fx %s", r, r <= goal ? "met" : "MISSED");
    }

    private static void delete(Path top) throws IOException {
        if (Files.exists(top)) {
            try (Stream<Path> all = Files.walk(top)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
