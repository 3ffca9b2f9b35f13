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
 * Debian's OpenSSH sshd, run by the benchmark itself in the foreground ({@code -D}) on a free port of a loopback
 * address (127.0.0.1 by default; the scale run uses 127.0.0.2-11) with everything in a temp dir: sshd_config, its
 * own host key, PidFile, log, authorized_keys holding a client key (fresh, or shared by several servers), and a
 * known_hosts file holding the server's host key, so that clients verify the host key strictly. Logs in as the
 * JVM's user (root here: PermitRootLogin yes). {@link #close()} kills sshd and every process it started and deletes
 * the temp dir.
 */
final class OpenSshServer implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final String USER = System.getProperty("user.name");

    final Path dir;
    /** The loopback address sshd listens on. */
    final String address;
    final int port;
    /** The client's private key (ECDSA, no passphrase); its public half is the only authorized key. */
    final Path userKey;
    /** {@code [address]:port <host key>}. */
    final Path knownHosts;
    private final Process process;

    private OpenSshServer(Path dir, String address, int port, Path userKey, Path knownHosts, Process process) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.userKey = userKey;
        this.knownHosts = knownHosts;
        this.process = process;
    }

    /** An sshd on 127.0.0.1 with a fresh client key; see {@link #start(String, Path)}. */
    static OpenSshServer start() throws Exception {
        return start("127.0.0.1", null);
    }

    /**
     * Makes the keys and config and starts sshd; retries with another port if the chosen one got taken.
     *
     * @param address the loopback address to listen on
     * @param clientKey the client's private key to authorize (its ".pub" next to it), or null for a fresh one
     */
    static OpenSshServer start(String address, Path clientKey) throws Exception {
        if (!Files.isExecutable(SSHD)) {
            throw new IOException(SSHD + " is not installed (Debian: openssh-server)");
        }
        Path dir = Files.createTempDirectory("execnet4j-ssh-bench-");
        Path hostKey = keygen(dir.resolve("ssh_host_ecdsa_key"));
        Path userKey = clientKey != null ? clientKey : keygen(dir.resolve("id_ecdsa"));
        Files.copy(Path.of(userKey + ".pub"), dir.resolve("authorized_keys"));
        Files.createDirectories(Path.of("/run/sshd"));                // sshd's privilege-separation directory
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort(address);
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, "[" + address + "]:" + port + " "
                    + Files.readString(Path.of(hostKey + ".pub")).strip() + "\n");
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "Port " + port,
                    "ListenAddress " + address,
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
            OpenSshServer server = new OpenSshServer(dir, address, port, userKey, knownHosts, p);
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
                s.connect(new InetSocketAddress(address, port), 200);
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

    /** {@return the pid of the listening sshd; the CPU of the connections it served ends up in its children's CPU} */
    long pid() {
        return process.pid();
    }

    /** The ssh connections sshd serves right now: one child process of the listener each. */
    long connections() {
        return process.children().filter(ProcessHandle::isAlive).count();
    }

    /** Makes an ECDSA key pair without passphrase at {@code file} and {@code file.pub}. */
    static Path keygen(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C",
                "execnet4j-bench", "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
        return file;
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
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
