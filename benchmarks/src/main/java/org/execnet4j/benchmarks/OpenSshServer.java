package org.execnet4j.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.execnet4j.testing.OpenSshd;

/**
 * Debian's OpenSSH sshd ({@link OpenSshd}) for a benchmark: on a free port of a loopback address (127.0.0.1 by
 * default; the scale run uses 127.0.0.2-11) with everything in a temp dir of its own, a client key authorized
 * (fresh, or shared by several servers) and a known_hosts file holding the server's host key, so that clients
 * verify the host key strictly. {@link #close()} kills sshd and every process it started and deletes the temp dir.
 */
final class OpenSshServer implements AutoCloseable {
    static final String USER = System.getProperty("user.name");

    private final OpenSshd sshd;
    /** The client's private key (ECDSA, no passphrase); its public half is the only authorized key. */
    final Path userKey;
    /** {@code [address]:port <host key>}. */
    final Path knownHosts;

    private OpenSshServer(OpenSshd sshd, Path userKey, Path knownHosts) {
        this.sshd = sshd;
        this.userKey = userKey;
        this.knownHosts = knownHosts;
    }

    /** An sshd on 127.0.0.1 with a fresh client key; see {@link #start(String, Path)}. */
    static OpenSshServer start() throws Exception {
        return start("127.0.0.1", null);
    }

    /**
     * Makes the keys and config and starts sshd, logging at {@code -Dexecnet4j.bench.sshdLogLevel} (default INFO).
     *
     * @param address the loopback address to listen on
     * @param clientKey the client's private key to authorize (its ".pub" next to it), or null for a fresh one
     */
    static OpenSshServer start(String address, Path clientKey) throws Exception {
        Path dir = Files.createTempDirectory("execnet4j-ssh-bench-");
        try {
            Path userKey = clientKey != null ? clientKey : keygen(dir.resolve("id_ecdsa"));
            OpenSshd sshd = OpenSshd.start(dir, address, List.of(Files.readString(Path.of(userKey + ".pub")).strip()),
                    List.of(), System.getProperty("execnet4j.bench.sshdLogLevel", "INFO"));
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), sshd.knownHostsLine() + "\n");
            return new OpenSshServer(sshd, userKey, knownHosts);
        } catch (Exception e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** {@code sshd -V}'s first line, e.g. "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 ...". */
    static String version() {
        try {
            Process p = new ProcessBuilder(OpenSshd.SSHD.toString(), "-V").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.contains("OpenSSH")).findFirst().orElse("?").strip();
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    /** {@return the temp dir of its files} */
    Path dir() {
        return sshd.dir();
    }

    /** {@return the loopback address sshd listens on} */
    String address() {
        return sshd.address();
    }

    /** {@return the port sshd listens on} */
    int port() {
        return sshd.port();
    }

    /** {@return the pid of the listening sshd; the CPU of the connections it served ends up in its children's CPU} */
    long pid() {
        return sshd.process().pid();
    }

    /** The ssh connections sshd serves right now: one child process of the listener each. */
    long connections() {
        return sshd.connections();
    }

    /** Makes an ECDSA key pair without passphrase at {@code file} and {@code file.pub}. */
    static Path keygen(Path file) throws IOException, InterruptedException {
        return OpenSshd.keygen(file, "", "execnet4j-bench");
    }

    @Override
    public void close() throws IOException {
        sshd.close();
        deleteTree(sshd.dir());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
