package org.execnet4j.rsync.internal;

import java.util.List;

/**
 * One entry of a tree listing: a path relative to the root ("" for the root, "/"-separated), its
 * kind, its {@code st_mode}, mtime in nanoseconds, size (regular files) and link target (symlinks).
 *
 * @param path the path relative to the root
 * @param kind {@link #DIR}, {@link #FILE}, {@link #LINK} or {@link #OTHER}
 * @param mode the whole {@code st_mode} (type and permission bits)
 * @param mtimeNs the modification time in nanoseconds since the epoch
 * @param size the size in bytes, 0 unless a regular file
 * @param link the link target, or null unless a symlink
 */
record Entry(String path, char kind, int mode, long mtimeNs, long size, String link) {
    /** A directory. */
    public static final char DIR = 'd';
    /** A regular file. */
    public static final char FILE = 'f';
    /** A symbolic link. */
    public static final char LINK = 'l';
    /** A FIFO, socket or device: never synced. */
    public static final char OTHER = 'o';

    /** The permission bits of {@link #mode}, as chmod takes them. */
    public int permissions() {
        return mode & 07777;
    }

    /** The path of the directory holding this entry ("" for children of the root, null for the root). */
    public String parent() {
        if (path.isEmpty()) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** An entry as the remote side lists it: a tuple (path, kind, mode, mtime_ns, size, link). */
    static Entry fromWire(Object item) {
        List<?> t = (List<?>) item;
        return new Entry((String) t.get(0), ((String) t.get(1)).charAt(0), ((Number) t.get(2)).intValue(),
                ((Number) t.get(3)).longValue(), ((Number) t.get(4)).longValue(), (String) t.get(5));
    }
}
