package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.execnet4j.core.EngineSettings;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When the host JVM is killed with SIGKILL, every popen remote exits within 2 s on its own, busy or not; with the
 * warm start on, so do the warm interpreter and its spare processes.
 */
class HostDeathTest {
    /** The spare processes a warm interpreter keeps (SPARES in execnet4j_socketserver.py). */
    private static final int SPARES = 2;

    /** The host JVM the test kills: starts busy and idle gateways, prints their pids, waits. */
    public static final class Host {
        public static void main(String[] args) throws Exception {
            List<Long> pids = new ArrayList<>();
            long me = ProcessHandle.current().pid();
            for (String code : List.of("while True: pass", "import time; time.sleep(1e6)", "pass")) {
                var gw = Execnet.makeGateway(args[0]);
                while (EngineSettings.DEFAULTS.warmStart() && ((Number) gw.remoteExec("import os; channel.send(os.getppid())")
                        .receive(Duration.ofSeconds(20))).longValue() == me) {
                    gw.exit();      // started fresh while the warm interpreter starts: the test wants forked ones
                    Thread.sleep(50);
                    gw = Execnet.makeGateway(args[0]);
                }
                pids.add(gw.remoteInfo(Duration.ofSeconds(20)).pid());
                gw.remoteExec(code);
            }
            System.out.println(String.join(" ", pids.stream().map(String::valueOf).toList()));
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @ParameterizedTest(name = "warm start {0}")
    @ValueSource(booleans = {false, true})
    void remotesExitWithinTwoSecondsOfTheHostsDeath(boolean warm) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process host = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-D" + EngineSettings.WARM_START_PROPERTY + "=" + warm,
                Host.class.getName(), GroupTest.POPEN).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        Set<Long> remotes = new HashSet<>();
        List<Path> socketDirectories;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
            assertTrue(line != null, "the host printed its remotes' pids");
            Arrays.stream(line.trim().split(" ")).map(Long::valueOf).forEach(remotes::add);
            int expected = warm ? remotes.size() + 1 + SPARES : remotes.size();
            remotes.addAll(Await.awaitValue("the host's remotes " + remotes + (warm ? ", a warm interpreter and its spares" : ""),
                    () -> {
                        List<Long> all = PythonProcesses.below(host.toHandle());
                        return all.size() == expected ? all : null;
                    }, Duration.ofSeconds(30)));
            socketDirectories = remotes.stream().flatMap(pid -> unixSocketOf(pid).stream()).map(Path::getParent)
                    .distinct().toList();
            assertEquals(warm ? 1 : 0, socketDirectories.size(), "the warm interpreter's private directory");
            host.destroyForcibly();
            host.waitFor(10, TimeUnit.SECONDS);
        }
        long killed = System.nanoTime();
        for (long pid : remotes) {
            while (PythonProcesses.isRunning(pid)) {
                assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(2),
                        "remote " + pid + " still alive 2 s after the host died");
                Thread.sleep(10);
            }
        }
        for (Path dir : socketDirectories) {
            Await.await("the warm interpreter removes " + dir, () -> !Files.exists(dir));
        }
    }

    /** The Unix socket a process holds open that is bound to a path (a warm interpreter's listener), per /proc. */
    private static Optional<Path> unixSocketOf(long pid) {
        Map<String, Path> bound = new HashMap<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/net/unix"))) {
            // Num RefCount Protocol Flags Type St Inode [Path]
            lines.skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f.length > 7)
                    .forEach(f -> bound.put("socket:[" + f[6] + "]", Path.of(f[7])));
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                return fds.map(HostDeathTest::linkTarget).map(bound::get).filter(Objects::nonNull).findFirst();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String linkTarget(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
