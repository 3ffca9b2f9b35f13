package org.execnet4j.rsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.execnet4j.Execnet;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.PythonSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong on the remote side: hostile requests, dead targets, files the remote may not touch. */
class RemoteFailuresTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Debian's interpreter: a user other than root can run it (the one on PATH may live under /root). */
    static final String SYSTEM_PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;
    Group group;

    @BeforeEach
    void start() {
        group = Execnet.newGroup("rsync-failures");
    }

    @AfterEach
    void stop() {
        group.close();
    }

    private Gateway popen() {
        return group.makeGateway("popen//python=" + PopenSyncTest.PYTHON);
    }

    /** The next answer, skipping the credit the agent returns for data it took. */
    private static List<?> reply(Channel ch) {
        while (true) {
            List<?> item = (List<?>) ch.receive(WAIT);
            if (!"credit".equals(item.get(0))) {
                return item;
            }
        }
    }

    @Test
    void pathsLeavingTheDestinationInHandWrittenRequestsAreRefused() throws IOException {
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(dest.resolve("evil"), outside);
        Channel ch = popen().remoteExec(PythonSource.resource(RSync.class, "internal/rsync_agent.py"), Map.of());
        ch.send(PyTuple.of("root", dest.toString(), 1 << 20));
        assertEquals(dest.toString(), reply(ch).get(2));

        ch.send(PyTuple.of("put", 1, "../escaped.txt", 0100644, 1_700_000_000_000_000_000L, false));
        ch.send("escaped".getBytes());
        ch.send(PyTuple.of("end", null));
        List<?> put = reply(ch);
        assertEquals(List.of("err", 1), put.subList(0, 2));
        assertTrue(((String) put.get(2)).contains("refused path '../escaped.txt'"), put.toString());

        ch.send(PyTuple.of("mkdir", 2, "evil/sub"));
        List<?> mkdir = reply(ch);
        assertEquals("err", mkdir.get(0));
        assertTrue(((String) mkdir.get(2)).contains("leaves " + dest + " through a symlink"), mkdir.toString());

        ch.send(PyTuple.of("remove", 3, "/etc"));
        assertEquals("err", reply(ch).get(0));
        ch.send(PyTuple.of("link", 4, "sub/./x", "/etc/passwd", false));
        assertEquals("err", reply(ch).get(0));
        ch.send(PyTuple.of("read", 5, "evil/../../outside", List.of(PyTuple.of(0, 10))));
        assertEquals("err", reply(ch).get(0));

        ch.send(PyTuple.of("done", 6));
        assertEquals(List.of("ok", 6), reply(ch));
        ch.waitClose(WAIT);
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aTargetKilledMidSyncFailsAloneAndTheOthersComplete() throws IOException {
        Path src = dir.resolve("src");
        for (int i = 0; i < 300; i++) {
            Trees.write(src.resolve("d" + i % 10 + "/f" + i), Trees.random(20_000, i), 0644, 1_700_000_000_000L);
        }
        Gateway doomed = popen();
        Gateway healthy = popen();
        long pid = doomed.remoteInfo(WAIT).pid();
        AtomicBoolean killed = new AtomicBoolean();
        String doomedDest = dir.resolve("doomed").toString();
        List<TargetResult> results = new RSync(src).listener(new RSyncListener() {
            @Override
            public void fileDone(String target, String path, long bytes) {
                if (target.startsWith(doomed.id() + ":") && killed.compareAndSet(false, true)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }).addTarget(doomed, doomedDest).addTarget(healthy, dir.resolve("healthy").toString()).send(false);
        assertTrue(killed.get());
        TargetResult dead = results.get(0);
        assertTrue(dead.failure().isPresent(), dead.toString());
        assertTrue(dead.filesSent() < 300, dead.toString());
        assertTrue(dead.duration().compareTo(Duration.ofSeconds(30)) < 0, "a dead target ends at once: " + dead.duration());
        assertTrue(results.get(1).ok(), results.get(1).toString());
        Trees.assertMirrors(src, dir.resolve("healthy"));
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("execnet4j-rsync")).toList());
    }

    /** A gateway whose interpreter runs as nobody, so permissions bind it as they bind any user but root. */
    private Gateway asNobody() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch to nobody");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        Files.setAttribute(dir, "unix:mode", 0755);
        return group.makeGateway("popen//python=/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " + SYSTEM_PYTHON);
    }

    @Test
    void aDestinationThatCannotBeWrittenNamesWhatFailed() throws IOException {
        Gateway nobody = asNobody();
        Path src = dir.resolve("src");
        Trees.write(src.resolve("a.txt"), "a", 0644, 1_700_000_000_000L);
        Trees.write(src.resolve("sub/b.txt"), "b", 0644, 1_700_000_000_000L);
        Path dest = Files.createDirectories(dir.resolve("dest/sub"));
        Files.setAttribute(dest, "unix:mode", 0777);
        Files.setAttribute(dest.getParent(), "unix:mode", 0755);                // root's, not writable for nobody
        TargetResult r = new RSync(src).addTarget(nobody, dest.getParent().toString()).send(false).get(0);
        assertFalse(r.ok());
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("cannot write " + dest.getParent().resolve("a.txt"))
                && e.contains("Permission denied")), r.errors().toString());
        assertEquals("b", Files.readString(dest.resolve("b.txt")), "the writable part is synced");
    }

    @Test
    void anUnreadableSourceFileIsNamedAndTheRestCopied() throws IOException {
        Gateway nobody = asNobody();
        Path remote = dir.resolve("remote");
        Trees.write(remote.resolve("open.txt"), "everyone", 0644, 1_700_000_000_000L);
        Trees.write(remote.resolve("secret.txt"), "root only", 0600, 1_700_000_000_000L);
        Files.setAttribute(remote, "unix:mode", 0755);
        Path local = dir.resolve("local");
        TargetResult r = RSync.pull(nobody, remote.toString(), local).run(false);
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).contains("cannot read " + remote.resolve("secret.txt") + ": Permission denied"),
                r.errors().get(0));
        assertEquals("everyone", Files.readString(local.resolve("open.txt")));
        assertFalse(Files.exists(local.resolve("secret.txt")));
        try (Stream<Path> files = Files.list(local)) {
            assertEquals(List.of(local.resolve("open.txt")), files.toList(), "no temporary file left behind");
        }
    }
}
