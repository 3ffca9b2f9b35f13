package org.execnet4j.rsync.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * One side of a sync, this machine's file system or a remote one: listed and read as a source,
 * changed as a destination. Changes report their failures to the side's {@link Outcome} (a remote
 * side reports them when the answers arrive); queries throw.
 */
interface Side {
    /** The root directory as that side names it (absolute). */
    String root();

    /**
     * The tree under the root in pre-order; empty when the root does not exist.
     *
     * @param filter which paths (relative to the root) to include; an excluded directory is not entered
     * @param clean whether to delete temporary files an interrupted sync left
     */
    Listing list(Predicate<Path> filter, boolean clean) throws IOException;

    /** The SHA-256 of each regular file, null for one that cannot be read. */
    List<byte[]> digests(List<String> paths) throws IOException;

    /** Streams the given byte ranges of a file, in order, to {@code sink}. */
    void read(String path, List<Segment> ranges, ChunkSink sink) throws IOException;

    /** Makes a directory (and its parents), replacing a non-directory in the way. */
    void mkdir(String path);

    /** Removes a file, link or whole directory; nothing if absent. */
    void remove(String path);

    /**
     * Makes a symlink, replacing what is there.
     *
     * @param target the link's target, or, if {@code inTree}, a path relative to this side's root
     */
    void link(String path, String target, boolean inTree);

    /** Sets an existing entry's permissions and mtime. */
    void attrs(Entry entry);

    /** Sets the permissions and mtimes of directories, in the given order. */
    void dirAttrs(List<Entry> dirs);

    /**
     * Writes a file's new content to a temporary file, built by {@code plan} from this side's old
     * file and bytes read from {@code source}, gives it the entry's mode and mtime and renames it
     * into place. Reports the file done, vanished or failed to the outcome.
     */
    void put(Entry entry, Plan plan, Side source);
}
