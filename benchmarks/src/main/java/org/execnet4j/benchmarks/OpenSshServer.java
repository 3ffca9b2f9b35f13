package org.execnet4j.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's OpenSSH sshd, run by the benchmark itself in the foreground ({@code -D}) on a free 127.0.0.1 port with
 * everything in a temp dir: sshd_config, host key, PidFile, log, authorized_keys holding a fresh client key, and a
 * known_hosts file holding the server's host key, so that clients verify the host key strictly. Logs in as the
 * JVM's user (root here: PermitRootLogin yes). {@link #close()} kills sshd and every process it started and deletes
 * the temp dir.
 */
final class OpenSshServer implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final String USER = System.getProperty("user.name");

    final Path dir;
    final int port;
    /** The client's private key (ECDSA, no passphrase); its public half is the only authorized key. */
    final Path userKey;
    /** {@code [127.0.0.1]:port <host key>}. */
    final Path knownHosts;
    private final Process process;

    private OpenSshServer(Path dir, int port, Path userKey, Path knownHosts, Process process) {
        this.dir = dir;
        this.port = port;
        this.userKey = userKey;
        this.knownHosts = knownHosts;
        this.process = process;
    }

    /** Makes the keys and config and starts sshd; retries with another port if the chosen one got taken. */
    static OpenSshServer start() throws Exception {
        if (!Files.isExecutable(SSHD)) {
            throw new IOException(SSHD + " is not installed (Debian: openssh-server)");
        }
        Path dir = Files.createTempDirectory("execnet4j-ssh-bench-");
        Path hostKey = keygen(dir.resolve("ssh_host_ecdsa_key"));
        Path userKey = keygen(dir.resolve("id_ecdsa"));
        Files.copy(Path.of(userKey + ".pub"), dir.resolve("authorized_keys"));
        Files.createDirectories(Path.of("/run/sshd"));                // sshd's privilege-separation directory
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + port + " "
                    + Files.readString(Path.of(hostKey + ".pub")).strip() + "\n");
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + hostKey,
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "PermitRootLogin yes",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "StrictModes no",
                    "PermitUserRC no",
                    "SetEnv SHLVL=1",                                 // keeps bash from reading root's .bashrc
                    "MaxStartups 100",
                    "LogLevel " + System.getProperty("execnet4j.bench.sshdLogLevel", "ERROR"), ""));
            Path log = dir.resolve("sshd.log");
            Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            OpenSshServer server = new OpenSshServer(dir, port, userKey, knownHosts, p);
            try {
                server.awaitListening();
                return server;
            } catch (IOException e) {
                server.kill();
                last = e;
            }
        }
        deleteTree(dir);
        throw last;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("sshd did not start on port " + port + ": "
                            + Files.readString(dir.resolve("sshd.log")).strip());
                }
                Thread.sleep(20);
            }
        }
    }

    /** {@code sshd -V}'s first line, e.g. "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 ...". */
    static String version() {
        try {
            Process p = new ProcessBuilder(SSHD.toString(), "-V").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.contains("OpenSSH")).findFirst().orElse("?").strip();
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    /** The ssh connections sshd serves right now: one child process of the listener each. */
    long connections() {
        return process.children().filter(ProcessHandle::isAlive).count();
    }

    private static Path keygen(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C",
                "execnet4j-bench", "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private void kill() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        kill();
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
