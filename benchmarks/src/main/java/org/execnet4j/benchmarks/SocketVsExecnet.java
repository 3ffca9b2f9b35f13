package org.execnet4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.execnet4j.Execnet;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.transport.socket.SocketServerScript;

/**
 * The socket part of {@code benchmarks/run.sh gateway}: gateway ready and echo roundtrips of execnet4j's host over
 * execnet4j's socket server against Python execnet's host over execnet's own {@code socketserver.py}, both servers
 * started by the benchmark with the same Python on 127.0.0.1 and a free port, in alternating rounds.
 */
final class SocketVsExecnet {
    /** execnet's server as Debian's python3-execnet installs it; -Dexecnet4j.bench.execnetServer overrides. */
    static final String EXECNET_SERVER = "/usr/lib/python3/dist-packages/execnet/script/socketserver.py";
    private static final Pattern OURS = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) ");
    /** The idle time before each gateway of the row {@link GatewayMetric#SOCKET_READY_IDLE} (as in the Python script). */
    private static final long IDLE_MILLIS = 100;
    private static final Pattern THEIRS = Pattern.compile("Entering Accept loop \\('127\\.0\\.0\\.1', (\\d+)\\)");

    private SocketVsExecnet() {
    }

    /** Runs the rounds and prints the table. */
    static void run(String python, Path script, GatewayParams p, int warmups, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("execnet4j-socket-bench");
        Path ourScript = Files.writeString(dir.resolve(SocketServerScript.FILE_NAME), SocketServerScript.text());
        String execnetServer = System.getProperty("execnet4j.bench.execnetServer", EXECNET_SERVER);
        Process ours = new ProcessBuilder(python, ourScript.toString(), "--bind", "127.0.0.1:0").start();
        Process theirs = new ProcessBuilder(python, "-u", execnetServer, "127.0.0.1:0").redirectErrorStream(true).start();
        try {
            String javaSpec = "socket=127.0.0.1:" + port(ours.getErrorStream(), OURS, "execnet4j's server");
            String pySpec = "socket=127.0.0.1:" + port(theirs.getInputStream(), THEIRS, "execnet's server " + execnetServer);
            AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds, () -> round(javaSpec, p), python, script,
                    List.of("--socket", "--spec", pySpec, "--ready-reps", String.valueOf(p.readyReps()),
                            "--echo", String.valueOf(p.echo())), GatewayMetric.SOCKET);
            System.out.println();
            System.out.println("=== execnet4j vs Python execnet: socket gateways on loopback (median of " + r.java().size()
                    + " alternating rounds each) ===");
            System.out.println("execnet4j: host in this JVM, spec " + javaSpec + ", execnet4j's socket server ("
                    + python + ", a forked process per gateway)");
            System.out.println("execnet:   " + r.pyDescription() + ", spec " + pySpec + ", execnet's socketserver.py ("
                    + python + ", gateways run one after another inside the server)");
            System.out.printf("ready: median of %d gateways per round (connect, bootstrap, remote_exec(\"channel.send(1)\"), "
                    + "receive), back to back, then (a separate row) each after %d ms idle, so a spare process"
                    + " has been prepared; echo: %d timed roundtrips of an int%n", p.readyReps(), IDLE_MILLIS, p.echo());
            GatewayTable.printRows(System.out, GatewayMetric.SOCKET, r.java(), r.py());
            System.out.println("ratio = execnet4j / execnet, lower is better");
        } finally {
            stop(ours);
            stop(theirs);
        }
    }

    private static Map<GatewayMetric, Double> round(String spec, GatewayParams p) {
        Map<GatewayMetric, Double> r = new EnumMap<>(GatewayMetric.class);
        r.put(GatewayMetric.SOCKET_READY, GatewayWorkloads.gatewayReady(spec, p.readyReps()));
        r.put(GatewayMetric.SOCKET_READY_IDLE, GatewayWorkloads.gatewayReady(spec, p.readyReps(), IDLE_MILLIS));
        try (Group group = Execnet.newGroup("socket-bench")) {
            Gateway gw = group.makeGateway(spec);
            double[] echo = GatewayWorkloads.echo(gw, p.echo());
            r.put(GatewayMetric.SOCKET_ECHO_MEDIAN, echo[0]);
            r.put(GatewayMetric.SOCKET_ECHO_MEAN, echo[1]);
        }
        return r;
    }

    /** Reads the server's output until its ready line; keeps draining it afterwards. */
    private static int port(java.io.InputStream output, Pattern ready, String what) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            Matcher m = ready.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (lines.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException e) {
                        // the server ended
                    }
                }, "socket-bench-drain");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException(what + " ended before it listened");
    }

    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }
}
