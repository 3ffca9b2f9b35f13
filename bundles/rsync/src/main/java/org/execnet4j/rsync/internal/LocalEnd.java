package org.execnet4j.rsync.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A directory tree on this machine, as source or destination of a sync. */
final class LocalEnd implements Side {
    /** Bytes read or written at a time. */
    static final int CHUNK = 256 * 1024;
    private static final AtomicInteger TEMP_IDS = new AtomicInteger();

    private final Path root;
    private final Outcome outcome;
    private final Map<String, byte[]> digests = new ConcurrentHashMap<>();
    /** Directories known to resolve inside the root, until this side changes the tree's shape. */
    private final Set<Path> inside = ConcurrentHashMap.newKeySet();

    /**
     * A side rooted at {@code root}.
     *
     * @param outcome where changes report (a source's outcome is never used)
     */
    LocalEnd(Path root, Outcome outcome) {
        this.root = root.toAbsolutePath().normalize();
        this.outcome = outcome;
    }

    @Override
    public String root() {
        return root.toString();
    }

    @Override
    public Listing list(Predicate<Path> filter, boolean clean) {
        return LocalTree.list(root, filter, clean);
    }

    /** The file at {@code path}, refused when the path is not plain or leaves the root through a symlink. */
    Path resolve(String path) throws IOException {
        if (path.isEmpty()) {
            return root;
        }
        if (path.startsWith("/") || path.indexOf('\0') >= 0
                || Arrays.stream(path.split("/", -1)).anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
            throw new IOException("refused path '" + path + "': it is not a plain path inside " + root);
        }
        Path full = root.resolve(path);
        Path parent = full.getParent();
        if (!inside.contains(parent) && Files.exists(parent)) {
            if (!parent.toRealPath().startsWith(root.toRealPath())) {
                throw new IOException("refused path '" + path + "': it leaves " + root + " through a symlink");
            }
            inside.add(parent);
        }
        return full;
    }

    @Override
    public List<byte[]> digests(List<String> paths) {
        List<byte[]> out = new ArrayList<>();
        for (String path : paths) {
            try {
                out.add(digest(path));
            } catch (IOException e) {
                out.add(null);
            }
        }
        return out;
    }

    private byte[] digest(String path) throws IOException {
        byte[] known = digests.get(path);
        if (known != null) {
            return known;
        }
        MessageDigest md = BlockMatcher.sha256();
        read(path, List.of(new Segment(0, Long.MAX_VALUE, -1)), (b, o, l) -> md.update(b, o, l));
        byte[] digest = md.digest();
        digests.put(path, digest);
        return digest;
    }

    @Override
    public void read(String path, List<Segment> ranges, ChunkSink sink) throws IOException {
        Path file = resolve(path);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            for (Segment range : ranges) {
                long at = range.offset();
                long left = range.length();
                while (left > 0) {
                    buf.clear().limit((int) Math.min(CHUNK, left));
                    int n = ch.read(buf, at);
                    if (n < 0) {
                        if (range.length() == Long.MAX_VALUE) {
                            break;
                        }
                        throw new IOException(file + " became shorter while it was read");
                    }
                    sink.accept(buf.array(), 0, n);
                    at += n;
                    left -= n;
                }
            }
        } catch (NoSuchFileException e) {
            throw new SourceGone(path);
        } catch (FileSystemException e) {
            throw new IOException("cannot read " + file + ": " + reason(e), e);
        }
    }

    @Override
    public void mkdir(String path) {
        inside.clear();
        try {
            Path dir = resolve(path);
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(dir);
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            outcome.error("cannot make directory " + root.resolve(path) + ": " + reason(e));
        }
    }

    @Override
    public void remove(String path) {
        inside.clear();
        try {
            removeTree(resolve(path));
        } catch (IOException e) {
            outcome.error("cannot remove " + root.resolve(path) + ": " + reason(e));
        }
    }

    private static void removeTree(Path top) throws IOException {
        if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(top);
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void link(String path, String target, boolean inTree) {
        inside.clear();
        try {
            Path file = resolve(path);
            removeTree(file);
            Files.createSymbolicLink(file, Path.of(inTree ? treeLink(root(), target) : target));
        } catch (IOException e) {
            outcome.error("cannot make symlink " + root.resolve(path) + ": " + reason(e));
        }
    }

    /** The absolute target of a link to {@code target} inside a tree rooted at {@code root}. */
    static String treeLink(String root, String target) {
        return target.isEmpty() ? root : (root.endsWith("/") ? root : root + "/") + target;
    }

    @Override
    public void attrs(Entry entry) {
        try {
            setAttrs(resolve(entry.path()), entry);
        } catch (IOException e) {
            outcome.error("cannot set mode and mtime of " + root.resolve(entry.path()) + ": " + reason(e));
        }
    }

    private static void setAttrs(Path file, Entry entry) throws IOException {
        Files.setAttribute(file, "unix:mode", entry.permissions());
        Files.setLastModifiedTime(file, FileTime.from(entry.mtimeNs(), TimeUnit.NANOSECONDS));
    }

    @Override
    public void dirAttrs(List<Entry> dirs) {
        dirs.forEach(this::attrs);
    }

    @Override
    public void put(Entry entry, Plan plan, Side source) {
        Path tmp = null;
        try {
            Path file = resolve(entry.path());
            tmp = file.resolveSibling(LocalTree.TMP_MARK + ProcessHandle.current().pid() + "-" + TEMP_IDS.incrementAndGet());
            MessageDigest md = plan.digest() == null ? null : BlockMatcher.sha256();
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 FileChannel old = plan.usesBasis() ? FileChannel.open(file, StandardOpenOption.READ) : null) {
                ChunkSink writer = (b, o, l) -> {
                    ByteBuffer bb = ByteBuffer.wrap(b, o, l);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    if (md != null) {
                        md.update(b, o, l);
                    }
                };
                Interleaver.run(plan, source, entry.path(), s -> copy(old, s, writer), writer);
            }
            if (md != null && !Arrays.equals(md.digest(), plan.digest())) {
                throw new IOException("content of " + file + " does not match the source's digest after the delta");
            }
            setAttrs(tmp, entry);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            outcome.fileDone(entry.path(), entry.size(), plan.literalBytes());
        } catch (SourceGone e) {
            outcome.vanished(entry.path());
        } catch (IOException e) {
            outcome.error("cannot write " + root.resolve(entry.path()) + ": " + reason(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the directory went away with it
                }
            }
        }
    }

    private static void copy(FileChannel old, Segment segment, ChunkSink writer) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, segment.length()));
        long at = segment.basis();
        long left = segment.length();
        while (left > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int n = old.read(buf, at);
            if (n < 0) {
                throw new IOException("the old file became shorter during the sync");
            }
            writer.accept(buf.array(), 0, n);
            at += n;
            left -= n;
        }
    }

    /** Why an I/O operation failed, in a few words. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
