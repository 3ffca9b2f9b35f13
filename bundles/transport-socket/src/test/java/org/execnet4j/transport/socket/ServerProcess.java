package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.execnet4j.testing.Await;

/** A socket server run by a test: execnet4j's or execnet's, on an ephemeral port, its output collected. */
final class ServerProcess implements AutoCloseable {
    /** Debian's interpreter, the one that sees python3-execnet. */
    static final String PYTHON = "/usr/bin/python3";
    static final String EXECNET_SERVER = "/usr/lib/python3/dist-packages/execnet/script/socketserver.py";
    private static final Pattern OURS_READY = Pattern.compile("listening on (\\S+):(\\d+) ");
    private static final Pattern EXECNET_READY = Pattern.compile("Entering Accept loop \\('([^']*)', (\\d+)\\)");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String host;
    private final int port;

    private ServerProcess(List<String> command, Pattern ready, boolean readyOnStderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        process = builder.start();
        pump(process.getInputStream(), "out");
        pump(process.getErrorStream(), "err");
        Matcher m = Await.awaitValue("the server's ready line in " + lines, () -> lines.stream()
                .map(ready::matcher).filter(Matcher::find).findFirst().orElse(null), Duration.ofSeconds(30));
        host = m.group(1).replaceAll("^\\[(.*)]$", "$1");
        port = Integer.parseInt(m.group(2));
    }

    /** execnet4j's server with the given options (a --bind must come from the caller). */
    static ServerProcess ours(Path dir, String... options) throws IOException {
        Path script = dir.resolve(SocketServerScript.FILE_NAME);
        if (!Files.exists(script)) {
            Files.writeString(script, SocketServerScript.text());
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(options));
        return new ServerProcess(command, OURS_READY, true);
    }

    /** execnet's own socketserver.py, unchanged, on 127.0.0.1 and a free port. */
    static ServerProcess execnets() throws IOException {
        return new ServerProcess(List.of(PYTHON, "-u", EXECNET_SERVER, "127.0.0.1:0"), EXECNET_READY, false);
    }

    private void pump(InputStream in, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(" + name + " failed: " + e + ")");
            }
        }, "test-server-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** {@code HOST:PORT} with IPv6 in brackets. */
    String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    String spec() {
        return "socket=" + address();
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Everything the server printed so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits until the server printed a line matching the test. */
    String awaitLine(String what, Function<String, Boolean> test) {
        return Await.awaitValue(what + " in the server's output " + lines,
                () -> lines.stream().filter(test::apply).findFirst().orElse(null), Duration.ofSeconds(30));
    }

    /** How many lines contain the text. */
    long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /** SIGTERM, then the exit status (SIGKILL after 20 s). */
    int stop() throws InterruptedException {
        terminate();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Sends SIGTERM without closing the output pipes (Process.destroy() would close them first). */
    private void terminate() throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            process.destroy();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** Stops the server and checks it ended cleanly (exit status 0, a "stopped" line for ours). */
    void stopCleanly() throws InterruptedException {
        assertEquals(0, stop(), "exit status of the server; its output: " + lines);
    }
}
