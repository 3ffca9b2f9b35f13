package org.execnet4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU figures of a process from {@code /proc/PID/stat} (Linux; 10 ms resolution). */
final class ProcStat {
    /** USER_HZ of /proc/PID/stat; 100 on every Linux build in practice. */
    static final double CLOCK_TICKS = 100.0;

    private ProcStat() {
    }

    /**
     * {the process's user+sys CPU s, its waited-for children's user+sys CPU s}, or NaNs where it cannot be read.
     *
     * @param pid a process id, or "self"
     */
    static double[] cpu(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state): utime = field 14, stime 15, cutime 16, cstime 17
            return new double[] {(Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS,
                    (Long.parseLong(f[13]) + Long.parseLong(f[14])) / CLOCK_TICKS};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }
}
