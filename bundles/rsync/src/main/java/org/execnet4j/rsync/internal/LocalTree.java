package org.execnet4j.rsync.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Lists a local tree in pre-order, sorted by name, without following symlinks. */
final class LocalTree {
    /** Names of the temporary files a sync writes before renaming them into place. */
    static final String TMP_MARK = ".execnet4j-tmp-";

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    private LocalTree() {
    }

    /**
     * Lists {@code root}; an absent root gives an empty listing.
     *
     * @param filter decides per path relative to the root whether it is included (an excluded
     *               directory is not entered)
     * @param clean whether to delete temporary files left by an interrupted sync
     */
    static Listing list(Path root, Predicate<Path> filter, boolean clean) {
        List<Entry> entries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Entry top;
        try {
            top = entry("", root);
        } catch (NoSuchFileException e) {
            return new Listing(entries, errors);
        } catch (IOException e) {
            errors.add("cannot read " + root + ": " + e);
            return new Listing(entries, errors);
        }
        walk(root, top, filter, clean, entries, errors);
        return new Listing(entries, errors);
    }

    private static void walk(Path dir, Entry entry, Predicate<Path> filter, boolean clean, List<Entry> entries,
                             List<String> errors) {
        entries.add(entry);
        if (entry.kind() != Entry.DIR) {
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            errors.add("cannot list " + dir + ": " + e);
            return;
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String name = child.getFileName().toString();
            String rel = entry.path().isEmpty() ? name : entry.path() + "/" + name;
            if (name.startsWith(TMP_MARK)) {
                if (clean) {
                    deleteQuietly(child);
                }
                continue;
            }
            if (!filter.test(Path.of(rel))) {
                continue;
            }
            try {
                walk(child, entry(rel, child), filter, clean, entries, errors);
            } catch (NoSuchFileException vanished) {
                // gone since the directory was read: as if it never was
            } catch (IOException e) {
                errors.add("cannot read " + child + ": " + e);
            }
        }
    }

    /** The entry for {@code file}, listed as {@code rel}. */
    static Entry entry(String rel, Path file) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(file, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attrs.get("mode");
        long mtime = ((FileTime) attrs.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        return switch (mode & S_IFMT) {
            case S_IFDIR -> new Entry(rel, Entry.DIR, mode, mtime, 0, null);
            case S_IFREG -> new Entry(rel, Entry.FILE, mode, mtime, (Long) attrs.get("size"), null);
            case S_IFLNK -> new Entry(rel, Entry.LINK, mode, mtime, 0, Files.readSymbolicLink(file).toString());
            default -> new Entry(rel, Entry.OTHER, mode, mtime, 0, null);
        };
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // another sync's, or already gone
        }
    }
}
