package org.execnet4j.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;

/**
 * The benchmark tree of {@link RsyncVsExecnet}: 2000 files, about 60 MB, in 40 directories: four
 * 10 MB files and 1996 files of 1-20 KB, deterministic content (fixed seed); and the change
 * applied between rounds: nine small files rewritten and 100 KB in the middle of one 10 MB file.
 */
final class RsyncTree {
    static final int FILES = 2000;
    static final int BIG_FILES = 4;
    static final int BIG = 10_000_000;
    static final int CHANGED_SMALL = 9;
    static final int CHANGED_BYTES = 100_000;

    private RsyncTree() {
    }

    /** Writes the tree; returns its total size in bytes. */
    static long create(Path root) throws IOException {
        Random random = new Random(42);
        long total = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] data = new byte[i < BIG_FILES ? BIG : 1024 + random.nextInt(19 * 1024)];
            random.nextBytes(data);
            Path file = file(root, i);
            Files.createDirectories(file.getParent());
            Files.write(file, data);
            total += data.length;
        }
        return total;
    }

    /** Changes ten files (seeded by {@code round}) and moves their mtimes on. */
    static void change(Path root, int round) throws IOException {
        Random random = new Random(1000 + round);
        FileTime later = FileTime.fromMillis(System.currentTimeMillis() + 1000L * round);
        for (int k = 0; k < CHANGED_SMALL; k++) {
            Path file = file(root, BIG_FILES + 1 + (round * 37 + k * 211) % (FILES - BIG_FILES - 1));
            byte[] data = new byte[(int) Files.size(file)];
            random.nextBytes(data);
            Files.write(file, data);
            Files.setLastModifiedTime(file, later);
        }
        Path big = file(root, round % BIG_FILES);
        byte[] patch = new byte[CHANGED_BYTES];
        random.nextBytes(patch);
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.seek(BIG / 2);
            f.write(patch);
        }
        Files.setLastModifiedTime(big, later);
    }

    private static Path file(Path root, int i) {
        return root.resolve("dir" + (i % 40)).resolve("file" + i + (i < BIG_FILES ? ".big" : ".dat"));
    }
}
