package org.execnet4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples this process's resident set size ({@code VmRSS} of /proc/self/status) every few milliseconds on a daemon
 * thread and keeps the largest value: the peak memory of a phase (the kernel's VmHWM covers the whole life of the
 * JVM instead).
 */
final class RssSampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakKb;

    private RssSampler() {
        thread = new Thread(this::loop, "rss-sampler");
        thread.setDaemon(true);
    }

    /** {@return a sampler, already sampling} */
    static RssSampler start() {
        RssSampler s = new RssSampler();
        s.sample();
        s.thread.start();
        return s;
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                    if (kb > peakKb) {
                        peakKb = kb;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            running = false;
        }
    }

    /** {@return the peak RSS so far in MB (10^6 bytes), NaN if /proc could not be read} */
    double peakMb() {
        return peakKb == 0 ? Double.NaN : peakKb * 1024 / 1e6;
    }

    /** Stops sampling (after one last sample). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1000);
        sample();
    }
}
