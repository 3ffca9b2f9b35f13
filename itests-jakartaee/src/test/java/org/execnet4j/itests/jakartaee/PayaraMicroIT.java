package org.execnet4j.itests.jakartaee;

import static org.execnet4j.testing.Await.await;
import static org.execnet4j.testing.Await.awaitValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.Test;

/**
 * The WAR in a real Jakarta EE 10 server, Payara Micro 6, run as a child process: the servlet gets
 * the configured group injected and runs code on it; redeploying the application (an exploded
 * WAR's {@code .reload}) undeploys the old one, which must end its interpreter while the server
 * keeps running; stopping the server leaves no interpreter either. Only interpreters below the
 * server's process are counted (other tests run on this machine at the same time). Prints the
 * deploy times Payara logs and the time from deploy to first answer.
 */
class PayaraMicroIT {
    /** Generous: Payara boots in ~7 s on an idle machine, but took almost 4 minutes on one with load 30. */
    private static final Duration DEADLINE = Duration.ofMinutes(8);
    private static final Pattern DEPLOYED = Pattern.compile("(\\w+) was successfully deployed in ([\\d,.]+) milliseconds");
    /** Longer than Payara's reload scan interval (2 s), so each new date is seen before the next. */
    private static final long REDATE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Pattern REPLY = Pattern.compile("(\\d+) (\\d+)\\n");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aServletRunsCodeOnAnInjectedGroupAndUndeployingEndsItsInterpreters() throws Exception {
        Path dir = Path.of(System.getProperty("execnet4j.payara.dir"));
        deleteTree(dir);
        Path app = unzip(Path.of(System.getProperty("execnet4j.war")), dir.resolve("execnet"));
        Path baselineWar = Path.of(System.getProperty("execnet4j.baseline.war"));
        // the first application deployed pays for warming the server up: the baseline is deployed after execnet
        Path warmup = unzip(baselineWar, dir.resolve("warmup"));
        Path baseline = unzip(baselineWar, dir.resolve("baseline"));
        Path reload = app.resolve(".reload");
        Files.writeString(reload, "");
        Files.setLastModifiedTime(reload, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-jar", System.getProperty("execnet4j.payara.micro"), "--nocluster",
                "--port", Integer.toString(port), "--rootdir", dir.resolve("root").toString(),
                "--logtofile", dir.resolve("server.log").toString(),
                "--deploy", warmup.toString(), "--deploy", app.toString(), "--deploy", baseline.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
        long started = System.nanoTime();
        List<Long> interpreters = new ArrayList<>();
        try {
            await("the applications answer", () -> status(port, "/execnet/hello") == 200
                    && status(port, "/baseline/hello") == 200, DEADLINE);
            long ready = System.nanoTime();
            long firstPid = call(port, 21, 42);
            long answered = System.nanoTime();
            interpreters.add(firstPid);
            assertEquals(List.of(firstPid), PythonProcesses.below(server.toHandle()),
                    "the one interpreter of the group runs below the server");
            assertTrue(get(port, "/execnet/events").contains("started workers/w1"), "the application observed GatewayStarted");

            long redeploy = System.nanoTime();
            redeployUntilEnded(reload, firstPid);
            assertTrue(server.isAlive(), "the server still runs");
            long secondPid = awaitValue("the redeployed application answers", () -> {
                try {
                    return call(port, 1, 2);
                } catch (AssertionError | RuntimeException notYet) {
                    return null;
                }
            }, DEADLINE);
            long redeployAnswered = System.nanoTime();
            interpreters.add(secondPid);
            assertNotEquals(firstPid, secondPid, "the new application has its own interpreter");
            assertEquals(List.of(secondPid), PythonProcesses.below(server.toHandle()));

            System.out.printf("PayaraMicroIT: server start to application answering %d ms, then first /exec answer %d ms"
                    + " (python start included); .reload to first answer of the redeployed application %d ms;"
                    + " Payara's deploy times: %s%n", millis(started, ready), millis(ready, answered),
                    millis(redeploy, redeployAnswered), deployTimes(dir));
        } finally {
            interpreters.addAll(PythonProcesses.below(server.toHandle()));
            stop(server);
        }
        for (long pid : interpreters) {
            assertFalse(PythonProcesses.isRunning(pid), "interpreter " + pid + " outlived the server");
        }
    }

    /**
     * Redeploys the exploded application by dating its {@code .reload} now, and waits until its interpreter ended.
     * Payara's reloader takes the file's date as its baseline when it first scans the application (every 2 s, some
     * time after the server is ready), so a date set before that scan redeploys nothing: a {@code .reload} written
     * 170 ms after the server was ready never did. The date is set again every 5 s while the old interpreter runs,
     * and no more once it ended.
     */
    private static void redeployUntilEnded(Path reload, long pid) {
        long[] dated = {System.nanoTime() - REDATE_NANOS};
        await("the undeployed application's interpreter ended", () -> {
            if (!PythonProcesses.isRunning(pid)) {
                return true;
            }
            if (System.nanoTime() - dated[0] >= REDATE_NANOS) {
                try {
                    Files.setLastModifiedTime(reload, FileTime.from(Instant.now()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                dated[0] = System.nanoTime();
            }
            return false;
        }, DEADLINE);
    }

    /** Calls {@code /exec?x=} and checks the doubled value; returns the answering interpreter's pid. */
    private long call(int port, int x, int expected) {
        String body = get(port, "/execnet/exec?x=" + x);
        Matcher reply = REPLY.matcher(body);
        assertTrue(reply.matches(), "one line 'value pid' expected, got: " + body);
        assertEquals(expected, Integer.parseInt(reply.group(1)));
        return Long.parseLong(reply.group(2));
    }

    private String get(int port, String path) {
        try {
            HttpResponse<String> response = http.send(request(port, path), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(int port, String path) {
        try {
            return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException notListening) {
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build();
    }

    /** Asks the server to stop (SIGTERM, so it undeploys), and kills it if it does not within the deadline. */
    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor();
        }
    }

    /** The deploy times Payara logged (in server.log.0: it numbers its log files). */
    private static String deployTimes(Path dir) throws IOException {
        List<String> times = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(f -> f.getFileName().toString().startsWith("server.log")).sorted().toList()) {
                Matcher m = DEPLOYED.matcher(Files.readString(log));
                while (m.find()) {
                    times.add(m.group(1) + " " + m.group(2) + " ms");
                }
            }
        }
        return times.isEmpty() ? "none logged" : String.join(", ", times);
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path unzip(Path war, Path target) throws IOException {
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("entry outside the WAR's directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.write(file, in.readAllBytes());
                }
            }
        }
        return target;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
