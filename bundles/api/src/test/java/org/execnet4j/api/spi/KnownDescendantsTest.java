package org.execnet4j.api.spi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descendants seen before a process went are killed after it went (they were orphaned), also when
 * many processes are looked at together, also those another thread than the main one forked, and
 * so is what a seen descendant started after it was seen.
 */
class KnownDescendantsTest {
    private static final long WAIT_SECONDS = 20;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** A shell that starts {@code command} in the background, prints its pid, then waits; the pid. */
    private Process parentOf(String command) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", command + " & echo $!; exec sleep 300")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        return p;
    }

    private static long firstLine(Process p) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        return Long.parseLong(in.readLine().strip());
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (running(pid)) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " is still running");
            Thread.sleep(10);
        }
    }

    /** Kills the parent and waits until its child is orphaned: no longer its descendant. */
    private static void orphan(Process parent, long child) throws InterruptedException {
        parent.destroyForcibly();
        assertTrue(parent.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(running(child), "the child outlived its parent");
        assertTrue(ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(h -> h.pid() != parent.pid()).orElse(true));
    }

    /** Remembers the parent's descendants, orphans its child, and checks killAll kills the orphan. */
    private static void rememberedOrphanIsKilled(Process parent, long child) throws InterruptedException {
        KnownDescendants known = new KnownDescendants(() -> Optional.of(parent.toHandle()));
        known.remember();
        orphan(parent, child);

        known.killAll();

        awaitGone(child);
    }

    @Test
    void anOrphanSeenBeforeItsParentWentIsKilled() throws Exception {
        Process parent = parentOf("sleep 301");
        rememberedOrphanIsKilled(parent, firstLine(parent));
    }

    @Test
    void aChildForkedByAnotherThreadThanTheMainOneIsSeen() throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process parent = new ProcessBuilder(python, "-c", """
                import subprocess, threading, time
                def fork():
                    print(subprocess.Popen(['sleep', '330']).pid, flush=True)
                    time.sleep(300)
                threading.Thread(target=fork, daemon=True).start()
                time.sleep(300)
                """).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(parent);
        rememberedOrphanIsKilled(parent, firstLine(parent));
    }

    @Test
    void processesLookedAtTogetherEachKnowTheirOwnDescendants() throws Exception {
        int n = 8;
        List<Process> parents = new ArrayList<>();
        List<Long> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process parent = parentOf("sleep " + (310 + i));
            parents.add(parent);
            children.add(firstLine(parent));
        }
        List<KnownDescendants> knowns = new ArrayList<>();
        CyclicBarrier together = new CyclicBarrier(n);
        List<CompletableFuture<Void>> looking = new ArrayList<>();
        for (Process parent : parents) {
            KnownDescendants known = new KnownDescendants(() -> Optional.of(parent.toHandle()));
            knowns.add(known);
            looking.add(CompletableFuture.runAsync(() -> {
                try {
                    together.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                known.remember();
            }, task -> new Thread(task, "test-remember").start()));
        }
        CompletableFuture.allOf(looking.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            orphan(parents.get(i), children.get(i));
        }

        knowns.get(0).killAll();

        awaitGone(children.get(0));
        for (int i = 1; i < n; i++) {
            assertTrue(running(children.get(i)), "another process's descendant is left alone");
        }
        for (int i = 1; i < n; i++) {
            knowns.get(i).killAll();
            awaitGone(children.get(i));
        }
    }

    @Test
    void whatASeenDescendantStartedLaterIsKilledToo(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        Path late = dir.resolve("late.pid");
        // the child waits for the file "go", then starts a grandchild and writes its pid
        Process parent = parentOf("sh -c 'while [ ! -e " + go + " ]; do sleep 0.02; done; sleep 320 & echo $! > "
                + late + "; wait'");
        long child = firstLine(parent);
        KnownDescendants known = new KnownDescendants(() -> Optional.of(parent.toHandle()));
        known.remember();
        Files.writeString(go, "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!Files.exists(late) || Files.readString(late).isBlank()) {
            assertTrue(System.nanoTime() < deadline, "the late grandchild did not start");
            Thread.sleep(10);
        }
        long grandchild = Long.parseLong(Files.readString(late).strip());
        orphan(parent, child);

        known.killAll();

        awaitGone(child);
        awaitGone(grandchild);
    }
}
