package org.execnet4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.execnet4j.Execnet;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.rsync.RSync;
import org.execnet4j.rsync.TargetResult;

/**
 * Soak test for large files (run with {@code -Xmx256m}): a file of {@code execnet4j.soak.gib} GiB
 * (default 3) is pushed through a popen gateway, changed by 1 MB in the middle and pushed again
 * (a delta), then pulled back; each copy is checked by SHA-256, and the heap's peak use printed.
 */
public final class RsyncSoak {
    private RsyncSoak() {
    }

    /** Runs the soak; exits non-zero when a copy differs. */
    public static void main(String[] args) throws Exception {
        long size = Long.getLong("execnet4j.soak.gib", 3) << 30;
        String spec = System.getProperty("execnet4j.bench.spec", "popen//python=/usr/bin/python3");
        Path work = Files.createTempDirectory("execnet4j-rsync-soak");
        Path src = Files.createDirectories(work.resolve("src"));
        Path big = src.resolve("big.bin");
        write(big, size);
        System.out.printf("max heap %d MB, file %.2f GiB%n", Runtime.getRuntime().maxMemory() >> 20, size / (double) (1L << 30));
        try (Group group = Execnet.newGroup("rsync-soak")) {
            Gateway gw = group.makeGateway(spec);
            Path dst = work.resolve("dst");
            report("push", new RSync(src).addTarget(gw, dst.toString()).send().get(0), big, dst.resolve("big.bin"));
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                byte[] patch = new byte[1_000_000];
                new Random(7).nextBytes(patch);
                f.seek(size / 2);
                f.write(patch);
            }
            report("delta push", new RSync(src).addTarget(gw, dst.toString()).send().get(0), big, dst.resolve("big.bin"));
            Path back = work.resolve("back");
            report("pull", RSync.pull(gw, dst.toString(), back).run(), big, back.resolve("big.bin"));
        } finally {
            for (String name : new String[] {"src/big.bin", "dst/big.bin", "back/big.bin", "src", "dst", "back", ""}) {
                Files.deleteIfExists(work.resolve(name));
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("peak heap use (sum of pool peaks): %d MB%n", peak >> 20);
    }

    private static void report(String what, TargetResult r, Path a, Path b) throws Exception {
        String da = sha256(a);
        String db = sha256(b);
        System.out.printf("%-10s %6.1f s, sent %,d bytes, saved %,d bytes, copy %s%n", what, r.duration().toMillis() / 1e3,
                r.bytesSent(), r.bytesSaved(), da.equals(db) ? "identical" : "DIFFERENT");
        if (!da.equals(db)) {
            System.exit(1);
        }
    }

    private static void write(Path file, long size) throws IOException {
        Random random = new Random(1);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - done));
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
