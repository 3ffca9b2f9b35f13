package org.execnet4j.rsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Builds test trees and describes trees for comparison: kind, mode, size, content digest, mtime, link target. */
final class Trees {
    private Trees() {
    }

    /** A tree with every kind of entry the sync handles and names that are hard to get right. */
    static void sample(Path root) throws IOException {
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.createDirectories(root.resolve("empty dir"));
        write(root.resolve("a.txt"), "alpha\n", 0644, 1_700_000_000_123L);
        write(root.resolve("run.sh"), "#!/bin/sh\necho hi\n", 0755, 1_700_000_001_000L);
        write(root.resolve("sub/b.bin"), random(100_000, 1), 0640, 1_700_000_002_500L);
        write(root.resolve("sub/deeper/c.txt"), "gamma", 0600, 1_700_000_003_000L);
        write(root.resolve("with space.txt"), "spaces", 0644, 1_700_000_004_000L);
        write(root.resolve("new\nline.txt"), "newline in the name", 0644, 1_700_000_005_000L);
        write(root.resolve("ünïcødé €.txt"), "unicode ✓", 0644, 1_700_000_006_000L);
        write(root.resolve("empty.txt"), "", 0644, 1_700_000_007_000L);
        Files.createSymbolicLink(root.resolve("link_rel"), Path.of("a.txt"));
        Files.createSymbolicLink(root.resolve("link_abs_internal"), root.toAbsolutePath().resolve("sub"));
        Files.createSymbolicLink(root.resolve("link_external"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("link_dangling"), Path.of("no/such/target"));
        Files.setAttribute(root.resolve("sub"), "unix:mode", 0750);
        Files.setLastModifiedTime(root.resolve("sub/deeper"), FileTime.fromMillis(1_690_000_000_000L));
    }

    static void write(Path file, String text, int mode, long mtimeMillis) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), mode, mtimeMillis);
    }

    static void write(Path file, byte[] data, int mode, long mtimeMillis) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        Files.setAttribute(file, "unix:mode", mode);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeMillis));
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /**
     * Every entry under {@code root} by relative path: kind, permissions, and for files size,
     * SHA-256 and mtime (in microseconds, rounded, when {@code fileTimes}); for links the target with
     * {@code root} replaced by {@code $ROOT}; for directories their mtime when {@code dirTimes}.
     */
    static Map<String, String> describe(Path root, boolean fileTimes, boolean dirTimes) throws IOException {
        return describe(root, fileTimes, dirTimes, TimeUnit.MICROSECONDS);
    }

    /** As {@link #describe(Path, boolean, boolean)}, with times rounded to {@code precision}. */
    static Map<String, String> describe(Path root, boolean fileTimes, boolean dirTimes, TimeUnit precision) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = root.relativize(p).toString();
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                long nanos = ((FileTime) Files.getAttribute(p, "unix:lastModifiedTime", LinkOption.NOFOLLOW_LINKS))
                        .to(TimeUnit.NANOSECONDS);
                long unit = precision.toNanos(1);
                long micros = (nanos + unit / 2) / unit;
                String perms = Integer.toOctalString(mode & 07777);
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(p).toString().replace(root.toAbsolutePath().toString(), "$ROOT"));
                } else if (Files.isDirectory(p)) {
                    out.put(rel, "dir " + perms + (dirTimes && !rel.isEmpty() ? " " + micros : ""));
                } else {
                    out.put(rel, "file " + perms + " " + Files.size(p) + " " + sha256(p) + (fileTimes ? " " + micros : ""));
                }
            }
        }
        return out;
    }

    /** The destination holds exactly what the source does, modes and mtimes included. */
    static void assertMirrors(Path source, Path dest) throws IOException {
        assertEquals(describe(source, true, true), describe(dest, true, true));
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
