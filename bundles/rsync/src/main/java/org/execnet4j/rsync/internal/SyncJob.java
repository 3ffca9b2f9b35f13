package org.execnet4j.rsync.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One sync of a source tree to a destination tree, one side local and one behind a gateway: lists
 * the destination, decides per entry what to do (execnet's rules: size and mtime, then a digest;
 * rsync deltas for large files), tells the listener the plan, then carries it out in pre-order
 * and finally sets the directories' modes and mtimes in post-order.
 */
final class SyncJob {
    /** What happens to a file. */
    private enum Transfer { WHOLE, DELTA }

    /** One planned change. */
    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    private final Side source;
    private final Side dest;
    private final LocalEnd local;
    private final RemoteEnd remote;
    private final boolean push;
    private final Outcome outcome;
    private final Set<String> touched = new HashSet<>();
    private final List<Action> actions = new ArrayList<>();
    private final List<Entry> compare = new ArrayList<>();
    private final Set<String> same = new HashSet<>();
    private int plannedFiles;
    private long plannedBytes;

    private SyncJob(LocalEnd local, RemoteEnd remote, boolean push, Outcome outcome) {
        this.local = local;
        this.remote = remote;
        this.push = push;
        this.source = push ? local : remote;
        this.dest = push ? remote : local;
        this.outcome = outcome;
    }

    /** Syncs the local tree (listed as {@code listing}) to the remote one. */
    static void push(LocalEnd local, Listing listing, RemoteEnd remote, boolean delete, Outcome outcome) throws IOException {
        new SyncJob(local, remote, true, outcome).run(listing, delete);
    }

    /** Syncs the remote tree, filtered, to the local one. */
    static void pull(RemoteEnd remote, Predicate<Path> filter, LocalEnd local, boolean delete, Outcome outcome)
            throws IOException {
        new SyncJob(local, remote, false, outcome).run(remote.list(filter, false), delete);
    }

    /**
     * A stateful test for a pre-order walk: the root, and every path whose directory is included
     * and that {@code filter} accepts.
     */
    static Predicate<String> included(Predicate<Path> filter) {
        Set<String> dirs = new HashSet<>();
        return path -> {
            int slash = path.lastIndexOf('/');
            boolean in = path.isEmpty() || dirs.contains(slash < 0 ? "" : path.substring(0, slash)) && filter.test(Path.of(path));
            if (in) {
                dirs.add(path);
            }
            return in;
        };
    }

    private void run(Listing listing, boolean delete) throws IOException {
        List<Entry> entries = listing.entries();
        if (entries.isEmpty() || entries.get(0).kind() != Entry.DIR) {
            throw new IOException("the source " + source.root() + (entries.isEmpty() ? " does not exist" : " is not a directory"));
        }
        listing.errors().forEach(outcome::error);
        Listing existing = dest.list(p -> true, true);
        existing.errors().forEach(outcome::error);
        Map<String, Entry> wanted = new HashMap<>();
        entries.forEach(e -> wanted.put(e.path(), e));
        Map<String, Entry> old = new HashMap<>();
        existing.entries().forEach(e -> old.put(e.path(), e));
        if (delete) {
            planDeletes(existing.entries(), wanted);
        }
        for (Entry entry : entries) {
            plan(entry, old.get(entry.path()));
        }
        List<Entry> dirs = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            Entry o = old.get(e.path());
            if (e.kind() == Entry.DIR && (touched.contains(e.path()) || o == null || o.kind() != Entry.DIR
                    || o.permissions() != e.permissions() || o.mtimeNs() != e.mtimeNs())) {
                dirs.add(e);
            }
        }
        compareDigests();
        outcome.planned(plannedFiles, plannedBytes);
        for (Action action : actions) {
            action.run();
        }
        dest.dirAttrs(dirs);
    }

    /** Removes what the destination has and the source does not, topmost entries only. */
    private void planDeletes(List<Entry> existing, Map<String, Entry> wanted) {
        for (int i = 1; i < existing.size(); i++) {
            Entry e = existing.get(i);
            Entry parent = wanted.get(e.parent());
            if (wanted.containsKey(e.path()) || parent == null || parent.kind() != Entry.DIR) {
                continue;
            }
            int count = 1;
            String prefix = e.path() + "/";
            while (i + 1 < existing.size() && existing.get(i + 1).path().startsWith(prefix)) {
                i++;
                count++;
            }
            String path = e.path();
            int removed = count;
            touched.add(e.parent());
            actions.add(() -> {
                dest.remove(path);
                outcome.deleted(removed);
            });
        }
    }

    private void plan(Entry e, Entry o) {
        String path = e.path();
        switch (e.kind()) {
            case Entry.DIR -> {
                if (o == null || o.kind() != Entry.DIR) {
                    touch(e);
                    actions.add(() -> dest.mkdir(path));
                }
            }
            case Entry.FILE -> planFile(e, o);
            case Entry.LINK -> planLink(e, o);
            default -> outcome.error("cannot sync " + source.root() + "/" + path
                    + ": not a regular file, directory or symlink (mode " + Integer.toOctalString(e.mode()) + ")");
        }
    }

    private void touch(Entry e) {
        if (e.parent() != null) {
            touched.add(e.parent());
        }
    }

    private void planFile(Entry e, Entry o) {
        boolean oldFile = o != null && o.kind() == Entry.FILE;
        if (oldFile && o.size() == e.size() && o.mtimeNs() == e.mtimeNs()) {
            if (o.permissions() != e.permissions()) {
                actions.add(() -> dest.attrs(e));
            }
            return;
        }
        touch(e);
        if (o != null && !oldFile) {
            actions.add(() -> dest.remove(e.path()));
        }
        if (oldFile && e.size() < Signatures.DELTA_MIN && o.size() == e.size()) {
            compare.add(e);                               // decided by digest, all such files at once
            actions.add(() -> {
                if (same.contains(e.path())) {
                    dest.attrs(e);
                } else {
                    transfer(e, o, Transfer.WHOLE);
                }
            });
            return;
        }
        plan(e, o != null && oldFile && o.size() > 0 ? Transfer.DELTA : Transfer.WHOLE, o);
    }

    private void plan(Entry e, Transfer transfer, Entry o) {
        plannedFiles++;
        plannedBytes += e.size();
        actions.add(() -> transfer(e, o, transfer));
    }

    /** Compares the digests of the same-size small files on both sides (one request each side). */
    private void compareDigests() {
        if (compare.isEmpty()) {
            return;
        }
        List<String> paths = compare.stream().map(Entry::path).toList();
        List<byte[]> ours = List.of();
        List<byte[]> theirs = List.of();
        try {
            ours = source.digests(paths);
            theirs = dest.digests(paths);
        } catch (IOException e) {
            // nothing known to be the same: every such file is transferred
        }
        for (int i = 0; i < compare.size(); i++) {
            Entry e = compare.get(i);
            if (i < theirs.size() && ours.get(i) != null && Arrays.equals(ours.get(i), theirs.get(i))) {
                same.add(e.path());
            } else {
                plannedFiles++;
                plannedBytes += e.size();
            }
        }
    }

    private void planLink(Entry e, Entry o) {
        Path rootPath = Path.of(source.root());
        Path target = Path.of(e.link());
        boolean inTree = target.isAbsolute() && target.normalize().startsWith(rootPath);
        String linkTarget = inTree ? rootPath.relativize(target.normalize()).toString() : e.link();
        String expected = inTree ? LocalEnd.treeLink(dest.root(), linkTarget) : linkTarget;
        if (o != null && o.kind() == Entry.LINK && expected.equals(o.link())) {
            return;
        }
        touch(e);
        actions.add(() -> dest.link(e.path(), linkTarget, inTree));
    }

    private void transfer(Entry e, Entry o, Transfer transfer) throws IOException {
        Plan plan = Plan.whole(e.size());
        if (transfer == Transfer.DELTA) {
            try {
                plan = push ? pushDelta(e, o) : pullDelta(e);
            } catch (SourceGone | NoSuchFileException gone) {
                outcome.vanished(e.path());
                return;
            } catch (IOException e2) {
                plan = Plan.whole(e.size());              // the transfer itself reports what is wrong
            }
            if (plan == null) {
                dest.attrs(e);
                outcome.fileUnchanged(e.path(), e.size());
                return;
            }
        }
        dest.put(e, plan, source);
    }

    /** Rolls over the new local file against the old remote one's blocks; null if they are equal. */
    private Plan pushDelta(Entry e, Entry o) throws IOException {
        Signatures sigs = remote.signatures(e.path(), Signatures.blockSize(o.size()));
        Plan.Builder plan = new Plan.Builder();
        long[] covered = {0};
        BlockMatcher.Scanned scanned = new BlockMatcher(sigs).scan(local.resolve(e.path()), (offset, block) -> {
            plan.add(new Segment(covered[0], offset - covered[0], -1));
            plan.add(new Segment(offset, sigs.length(block), (long) block * sigs.blockSize));
            covered[0] = offset + sigs.length(block);
        });
        plan.add(new Segment(covered[0], scanned.size() - covered[0], -1));
        return Arrays.equals(scanned.digest(), sigs.whole) ? null : plan.build(scanned.digest());
    }

    /** Rolls over the old local file against the new remote one's blocks; null if they are equal. */
    private Plan pullDelta(Entry e) throws IOException {
        Signatures sigs = remote.signatures(e.path(), Signatures.blockSize(e.size()));
        long[] found = new long[sigs.blocks()];
        Arrays.fill(found, -1);
        BlockMatcher.Scanned scanned = new BlockMatcher(sigs).scan(local.resolve(e.path()), (offset, block) -> {
            if (found[block] < 0) {
                found[block] = offset;
            }
        });
        if (Arrays.equals(scanned.digest(), sigs.whole)) {
            return null;
        }
        Plan.Builder plan = new Plan.Builder();
        for (int i = 0; i < found.length; i++) {
            plan.add(new Segment((long) i * sigs.blockSize, sigs.length(i), found[i]));
        }
        return plan.build(sigs.whole);
    }
}
