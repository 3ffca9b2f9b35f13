package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.Test;

/** When the host JVM is killed with SIGKILL, every popen remote exits within 2 s on its own, busy or not. */
class HostDeathTest {

    /** The host JVM the test kills: starts busy and idle gateways, prints their pids, waits. */
    public static final class Host {
        public static void main(String[] args) throws Exception {
            List<Long> pids = new ArrayList<>();
            for (String code : List.of("while True: pass", "import time; time.sleep(1e6)", "pass")) {
                var gw = Execnet.makeGateway(args[0]);
                pids.add(gw.remoteInfo(java.time.Duration.ofSeconds(20)).pid());
                gw.remoteExec(code);
            }
            System.out.println(String.join(" ", pids.stream().map(String::valueOf).toList()));
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void remotesExitWithinTwoSecondsOfTheHostsDeath() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process host = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Host.class.getName(),
                GroupTest.POPEN).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
            assertTrue(line != null, "the host printed its remotes' pids");
            host.destroyForcibly();
            host.waitFor(10, TimeUnit.SECONDS);
        }
        long killed = System.nanoTime();
        for (String pid : line.trim().split(" ")) {
            while (PythonProcesses.isRunning(Long.parseLong(pid))) {
                assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(2),
                        "remote " + pid + " still alive 2 s after the host died");
                Thread.sleep(10);
            }
        }
    }
}
