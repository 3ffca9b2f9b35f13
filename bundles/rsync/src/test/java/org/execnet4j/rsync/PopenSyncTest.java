package org.execnet4j.rsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.execnet4j.Execnet;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RSync and Pull on real trees through popen gateways. */
class PopenSyncTest {
    static final String PYTHON = System.getProperty("execnet4j.python", "python3");
    static Group group;
    static Gateway gw;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        group = Execnet.newGroup("rsync-test");
        gw = group.makeGateway("popen//python=" + PYTHON);
    }

    @AfterAll
    static void stop() {
        group.close();
    }

    private Path sample() throws IOException {
        Path src = dir.resolve("src");
        Trees.sample(src);
        return src;
    }

    @Test
    void firstSyncMirrorsTheTreeAndASecondChangesNothing() throws IOException {
        Path src = sample();
        Path dst = dir.resolve("dst");
        TargetResult first = new RSync(src).addTarget(gw, dst.toString()).send().get(0);
        Trees.assertMirrors(src, dst);
        assertEquals(8, first.filesSent(), first.toString());
        assertEquals("link -> $ROOT/sub", Trees.describe(dst, false, false).get("link_abs_internal"));
        assertEquals("link -> /etc/hostname", Trees.describe(dst, false, false).get("link_external"));
        assertTrue(Files.isDirectory(dst.resolve("empty dir")));

        AtomicInteger planned = new AtomicInteger(-1);
        TargetResult second = new RSync(src).listener(new RSyncListener() {
            @Override
            public void planned(String target, int files, long bytes) {
                planned.set(files);
            }
        }).addTarget(gw, dst.toString()).send().get(0);
        assertEquals(0, second.filesSent());
        assertEquals(0, second.bytesSent());
        assertEquals(0, planned.get(), "a no-change sync with a listener plans nothing (execnet raises KeyError)");
        Trees.assertMirrors(src, dst);
    }

    @Test
    void changedFilesModesAndTimesFollowTheSource() throws IOException {
        Path src = sample();
        Path dst = dir.resolve("dst");
        new RSync(src).addTarget(gw, dst.toString()).send();
        Trees.write(src.resolve("a.txt"), "alpha, longer now\n", 0644, 1_700_000_100_000L);
        Trees.write(src.resolve("run.sh"), "#!/bin/sh\necho ho\n", 0755, 1_700_000_101_000L);  // same size
        Files.setAttribute(src.resolve("sub/deeper/c.txt"), "unix:mode", 0444);               // mode only
        Files.setLastModifiedTime(src.resolve("empty.txt"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        TargetResult r = new RSync(src).addTarget(gw, dst.toString()).send().get(0);
        Trees.assertMirrors(src, dst);
        assertEquals(2, r.filesSent(), r.toString());
    }

    @Test
    void deletedSourceEntriesStayWithoutDeleteAndGoWithIt() throws IOException {
        Path src = sample();
        Path dst = dir.resolve("dst");
        new RSync(src).addTarget(gw, dst.toString()).send();
        Files.delete(src.resolve("a.txt"));
        Files.delete(src.resolve("sub/deeper/c.txt"));
        Files.delete(src.resolve("sub/deeper"));
        TargetResult kept = new RSync(src).addTarget(gw, dst.toString()).send().get(0);
        assertEquals(0, kept.deleted());
        assertTrue(Files.exists(dst.resolve("a.txt")));
        assertTrue(Files.exists(dst.resolve("sub/deeper/c.txt")));

        TargetResult deleted = new RSync(src).filter(p -> !p.toString().equals("with space.txt"))
                .addTarget(gw, dst.toString(), TargetOptions.defaults().delete(true)).send().get(0);
        assertEquals(4, deleted.deleted(), "a.txt, sub/deeper with c.txt, and the filtered-out file");
        assertFalse(Files.exists(dst.resolve("a.txt")));
        assertFalse(Files.exists(dst.resolve("sub/deeper")));
        assertFalse(Files.exists(dst.resolve("with space.txt")), "delete also removes what the filter excluded");
        Files.delete(src.resolve("with space.txt"));
        Trees.assertMirrors(src, dst);
    }

    @Test
    void aFileReplacedByADirectoryAndBack() throws IOException {
        Path src = sample();
        Path dst = dir.resolve("dst");
        new RSync(src).addTarget(gw, dst.toString()).send();
        Files.delete(src.resolve("a.txt"));
        Trees.write(src.resolve("a.txt/inner.txt"), "now a directory", 0644, 1_700_000_200_000L);
        Files.delete(src.resolve("sub/deeper/c.txt"));
        Files.delete(src.resolve("sub/deeper"));
        Trees.write(src.resolve("sub/deeper"), "now a file", 0644, 1_700_000_201_000L);
        Files.delete(src.resolve("link_rel"));
        Files.createDirectory(src.resolve("link_rel"));
        new RSync(src).addTarget(gw, dst.toString()).send();
        Trees.assertMirrors(src, dst);

        Files.delete(src.resolve("a.txt/inner.txt"));
        Files.delete(src.resolve("a.txt"));
        Trees.write(src.resolve("a.txt"), "a file again", 0600, 1_700_000_300_000L);
        new RSync(src).addTarget(gw, dst.toString()).send();
        Trees.assertMirrors(src, dst);
    }

    @Test
    void aLargeChangedFileTravelsAsADelta() throws IOException {
        Path src = dir.resolve("src");
        byte[] data = Trees.random(4_000_000, 7);
        Trees.write(src.resolve("big.bin"), data, 0644, 1_700_000_000_000L);
        Path dst = dir.resolve("dst");
        new RSync(src).addTarget(gw, dst.toString()).send();
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("big.bin").toFile(), "rw")) {
            f.seek(2_000_000);
            f.write(Trees.random(20_000, 8));                                  // 20 KB changed in the middle
            f.seek(4_000_000);
            f.write(Trees.random(1000, 9));                                    // and 1000 bytes appended
        }
        TargetResult r = new RSync(src).addTarget(gw, dst.toString()).send().get(0);
        Trees.assertMirrors(src, dst);
        assertEquals(1, r.filesSent());
        assertTrue(r.bytesSent() < 60_000, "delta sent " + r.bytesSent() + " bytes");
        assertTrue(r.bytesSaved() > 3_900_000, "saved " + r.bytesSaved());
    }

    @Test
    void pullCopiesARemoteTreeWithFilterDeleteAndDeltas() throws IOException {
        Path remote = sample();
        Trees.write(remote.resolve("logs/big.log"), Trees.random(1_000_000, 3), 0644, 1_700_000_000_000L);
        Trees.write(remote.resolve("skip.pyc"), "x", 0644, 1_700_000_000_000L);
        Path local = dir.resolve("local");
        Trees.write(local.resolve("stale.txt"), "not on the remote", 0644, 1_700_000_000_000L);
        TargetResult first = RSync.pull(gw, remote.toString(), local).filter(p -> !p.toString().endsWith(".pyc"))
                .options(TargetOptions.defaults().delete(true)).run();
        Files.delete(remote.resolve("skip.pyc"));
        assertEquals(1, first.deleted());
        Trees.assertMirrors(remote, local);

        try (RandomAccessFile f = new RandomAccessFile(remote.resolve("logs/big.log").toFile(), "rw")) {
            f.seek(500_000);
            f.write(Trees.random(5_000, 4));
        }
        TargetResult second = RSync.pull(gw, remote.toString(), local).run();
        Trees.assertMirrors(remote, local);
        assertEquals(1, second.filesSent());
        assertTrue(second.bytesSent() < 40_000, "delta pulled " + second.bytesSent() + " bytes");
    }

    @Test
    void progressReportsEveryFileAndTheTotals() throws IOException {
        Path src = sample();
        Map<String, Long> done = new ConcurrentHashMap<>();
        AtomicLong plannedBytes = new AtomicLong();
        AtomicInteger finished = new AtomicInteger();
        new RSync(src).listener(new RSyncListener() {
            @Override
            public void planned(String target, int files, long bytes) {
                plannedBytes.addAndGet(bytes);
            }

            @Override
            public void fileDone(String target, String path, long bytes) {
                done.put(target + "|" + path, bytes);
            }

            @Override
            public void allFinished(List<TargetResult> results) {
                finished.set(results.size());
            }
        }).addTarget(gw, dir.resolve("d1").toString()).addTarget(gw, dir.resolve("d2").toString()).send();
        assertEquals(16, done.size(), done.keySet().toString());
        assertEquals(done.values().stream().mapToLong(Long::longValue).sum(), plannedBytes.get());
        assertEquals(2, finished.get());
        assertTrue(done.containsKey(gw.id() + ":" + dir.resolve("d2") + "|new\nline.txt"));
    }

    @Test
    void aSecondSendWithoutTargetsIsAnErrorOrNothing() throws IOException {
        Path src = sample();
        RSync rsync = new RSync(src).addTarget(gw, dir.resolve("dst").toString());
        AtomicInteger called = new AtomicInteger();
        rsync.addTarget(gw, dir.resolve("dst2").toString(), TargetOptions.defaults().onFinished(called::incrementAndGet));
        assertEquals(2, rsync.send().size());
        assertEquals(1, called.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, rsync::send);
        assertTrue(e.getMessage().contains("no targets"), e.getMessage());
        assertEquals(List.of(), rsync.send(false));
    }

    @Test
    void aSourceFileVanishingDuringTheSyncIsSkippedAndTheRestSynced() throws IOException {
        Path src = sample();
        Path dst = dir.resolve("dst");
        TargetResult r = new RSync(src).listener(new RSyncListener() {
            @Override
            public void planned(String target, int files, long bytes) {
                try {
                    Files.delete(src.resolve("sub/b.bin"));           // listed, not yet read
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }).addTarget(gw, dst.toString()).send().get(0);
        assertEquals(List.of("sub/b.bin"), r.vanished());
        assertTrue(r.ok(), r.toString());
        assertFalse(Files.exists(dst.resolve("sub/b.bin")));
        try (Stream<Path> files = Files.list(dst.resolve("sub"))) {
            assertEquals(List.of(dst.resolve("sub/deeper")), files.toList(), "no temporary file left behind");
        }
        assertEquals(Trees.describe(src, true, false), Trees.describe(dst, true, false));
    }

    @Test
    void aDestinationThatCannotBeMadeFailsThatTargetAndNotTheOther() throws IOException {
        Path src = sample();
        Path blocker = dir.resolve("a-file");
        Files.writeString(blocker, "in the way");
        Path good = dir.resolve("good");
        RSyncException e = assertThrows(RSyncException.class, () -> new RSync(src)
                .addTarget(gw, blocker.resolve("dst").toString()).addTarget(gw, good.toString()).send());
        TargetResult bad = e.results().get(0);
        assertFalse(bad.ok());
        assertTrue(bad.summary().contains(blocker.resolve("dst").toString()), bad.summary());
        assertTrue(e.results().get(1).ok());
        Trees.assertMirrors(src, good);
    }

    @Test
    void aFifoIsReportedAndEverythingElseSynced() throws Exception {
        Path src = sample();
        Process mkfifo = new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Path dst = dir.resolve("dst");
        TargetResult r = new RSync(src).addTarget(gw, dst.toString()).send(false).get(0);
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).contains(src.resolve("pipe").toString()), r.errors().get(0));
        Files.delete(src.resolve("pipe"));
        Trees.assertMirrors(src, dst);
    }
}
